using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void A_model_built_from_a_spec_runs_in_TorchSharp()
    {
        var spec = new ModelSpec
        {
            Name = "Tiny",
            TypeName = "Tests.Tiny",
            InputShape = new(1, 8, 8),
            Training = new TrainingSpec(),
            Layers =
            [
                new Conv2DSpec { Name = "conv", InputShape = new(1, 8, 8), OutputShape = new(4, 8, 8), ParameterCount = 40,
                    Filters = 4, Kernel = new(3, 3), Stride = new(1, 1), Padding = Padding.Same, Activation = Activation.Relu, UseBias = true },
                new MaxPool2DSpec { Name = "pool", InputShape = new(4, 8, 8), OutputShape = new(4, 4, 4), ParameterCount = 0,
                    Pool = new(2, 2), Stride = new(2, 2), Padding = Padding.Valid },
                new FlattenSpec { Name = "flatten", InputShape = new(4, 4, 4), OutputShape = new(64), ParameterCount = 0 },
                new DenseSpec { Name = "output", InputShape = new(64), OutputShape = new(3), ParameterCount = 195,
                    Units = 3, Activation = Activation.Softmax, UseBias = true },
            ],
        };
        manual_seed(1);
        using var model = Model.FromSpec(spec);
        using var x = randn(2, 1, 8, 8);
        using var y = model.call(x);
        Assert.Equal([2L, 3L], y.shape);
        Assert.Equal(spec.ParameterCount, model.parameters().Sum(p => p.numel()));
    }
}
