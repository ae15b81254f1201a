using Prune.Specs;

namespace Prune.Benchmarks.Export;

/// <summary>
/// The model of tfmot's pruning tutorial ("Pruning in Keras example"): Conv2D(12, 3x3, relu), MaxPool(2), Flatten,
/// Dense(10) logits, on 28x28 MNIST (its Reshape to 28x28x1 is our [1, 28, 28] input).
/// </summary>
internal static class TfmotTutorialModel
{
    public static ModelSpec Spec(PruningSpec? pruning) => new()
    {
        Name = "TfmotTutorial",
        TypeName = "Prune.Benchmarks.Export.TfmotTutorial",
        InputShape = new(1, 28, 28),
        Training = new TrainingSpec(),
        Layers =
        [
            new Conv2DSpec
            {
                Name = "conv", InputShape = new(1, 28, 28), OutputShape = new(12, 26, 26), ParameterCount = 120, Pruning = pruning,
                Filters = 12, Kernel = new(3, 3), Stride = new(1, 1), Padding = Padding.Valid, Activation = Activation.Relu, UseBias = true,
            },
            new MaxPool2DSpec
            {
                Name = "pool", InputShape = new(12, 26, 26), OutputShape = new(12, 13, 13), ParameterCount = 0,
                Pool = new(2, 2), Stride = new(2, 2), Padding = Padding.Valid,
            },
            new FlattenSpec { Name = "flatten", InputShape = new(12, 13, 13), OutputShape = new(2028), ParameterCount = 0 },
            new DenseSpec
            {
                Name = "logits", InputShape = new(2028), OutputShape = new(10), ParameterCount = 20_290, Pruning = pruning,
                Units = 10, Activation = Activation.None, UseBias = true,
            },
        ],
    };
}
