using Prune.Layers;
using Prune.Runtime.Tests.Training;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pretrained;

/// <summary>Frozen layers (a pretrained backbone while a fresh head learns) keep their weights and BatchNorm statistics
/// for the first epochs, then train like the rest.</summary>
public class FreezingTests
{
    private static Model Build() => TestModels.Input(1, 28, 28)
        .Conv("conv", 4, 3, stride: 2, useBias: false)
        .BatchNorm("bn", Activation.Relu)
        .Flatten("flatten")
        .Dense("logits", 10)
        .Build("Frozen");

    private static float[] Values(Tensor t) => t.detach().clone().data<float>().ToArray();

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Frozen_layers_keep_weights_and_statistics_for_the_frozen_epochs_only(int epochs, bool backboneChanges)
    {
        using var model = Build();
        using var data = MnistSubset.Train(256);
        var conv = model.Layers.OfType<WeightLayer>().Single(l => l.Spec.Name == "conv");
        var bn = model.Layers.OfType<BatchNormLayer>().Single();
        var logits = model.Layers.OfType<WeightLayer>().Single(l => l.Spec.Name == "logits");
        var (weight, mean, head) = (Values(conv.Weight), Values(bn.RunningMean), Values(logits.Weight));

        var options = new FitOptions { Epochs = epochs, BatchSize = 64, FrozenLayers = ["conv", "bn"], FreezeEpochs = 1 };
        Trainer.Fit(model, data, options);

        Assert.NotEqual(head, Values(logits.Weight));
        Assert.Equal(backboneChanges, !weight.SequenceEqual(Values(conv.Weight)));
        Assert.Equal(backboneChanges, !mean.SequenceEqual(Values(bn.RunningMean)));
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad, "every layer trains again after the fit"));
    }
}
