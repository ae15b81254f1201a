using Prune.Layers;
using Prune.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Training;

/// <summary>
/// Training on another device (PruneDevice=cuda) moves the model there and back. No GPU runs here, so what can be checked
/// is checked for real: a move through Module.to (to float64 and back, the same replacement of every parameter and
/// buffer a move to CUDA makes) leaves every layer reading what the model now holds, and CUDA asked for without CUDA
/// is refused before anything changes.
/// </summary>
public class DeviceTests
{
    [Fact]
    public void After_a_move_every_layer_reads_the_parameters_and_buffers_the_model_now_holds()
    {
        using var model = TestModels.Input(1, 8, 8)
            .Conv("conv", 4, 3, activation: Activation.Relu)
            .BatchNorm("norm")
            .Flatten("flatten")
            .Dense("logits", 3)
            .Build("Moved");
        foreach (var layer in model.Layers.OfType<WeightLayer>()) layer.AttachMask(ones_like(layer.Weight).DetachFromDisposeScope());
        using var input = randn(2, 1, 8, 8, generator: new Generator(3));
        using var before = model.call(input);

        model.to(ScalarType.Float64);
        try
        {
            var held = model.parameters().Select(p => p.Handle).Concat(model.buffers().Select(b => b.Handle)).ToHashSet();
            var read = new List<Tensor>();
            foreach (var layer in model.Layers)
            {
                if (layer is WeightLayer w) read.AddRange([w.Weight, w.Bias!, w.WeightMask!]);
                if (layer is BatchNormLayer bn) read.AddRange([bn.Scale, bn.Offset, bn.RunningMean, bn.RunningVariance]);
            }
            Assert.Equal(10, read.Count); // two weight layers (weight, bias, mask) and a BatchNorm (four)
            Assert.All(read, t => Assert.Equal(ScalarType.Float64, t.dtype));
            Assert.All(read, t => Assert.Contains(t.Handle, held));
            using var moved = model.call(input.to(ScalarType.Float64));
            Assert.True(moved.to(ScalarType.Float32).allclose(before, rtol: 1e-5, atol: 1e-6));
        }
        finally
        {
            model.to(ScalarType.Float32);
        }
    }

    [Fact]
    public void Training_on_CUDA_where_there_is_none_is_refused_before_any_step_saying_what_to_do()
    {
        if (cuda.is_available()) return; // a machine with CUDA trains there instead (xunit 2 has no dynamic skip)
        using var data = MnistSubset.Train(100);
        using var model = Model.FromSpec(TestModels.SmallCnn());
        var weights = model.Layers.OfType<WeightLayer>().First().Weight.detach().clone();

        var error = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Fit(model, data, new FitOptions { Device = DeviceType.CUDA, BatchSize = 50 }));

        Assert.Contains("TorchSharp finds no CUDA device", error.Message, StringComparison.Ordinal);
        Assert.Contains("set PruneDevice=cpu", error.Message, StringComparison.Ordinal);
        Assert.True(model.Layers.OfType<WeightLayer>().First().Weight.equal(weights).all().item<bool>(), "the weights changed");
    }

    [Theory]
    [InlineData("cpu", DeviceType.CPU)]
    [InlineData("CUDA", DeviceType.CUDA)]
    [InlineData("gpu", null)]
    [InlineData("", null)]
    public void PruneDevice_is_cpu_or_cuda_in_any_case(string text, DeviceType? expected) =>
        Assert.Equal(expected, TrainingDevice.Parse(text));
}
