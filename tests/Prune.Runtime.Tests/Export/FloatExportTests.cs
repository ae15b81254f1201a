using Prune.Export;

namespace Prune.Runtime.Tests.Export;

/// <summary>Float exports computed by LiteRT match TorchSharp within 1e-4, op type by op type.</summary>
public class FloatExportTests
{
    private static void AssertMatches(Model model, int samples = 16, float tolerance = 1e-4f)
    {
        using var dir = new TempDirectory();
        using var inputs = LiteRtCheck.Inputs(model, samples);
        var bytes = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense });
        var expected = LiteRtCheck.Torch(model, inputs);
        var actual = LiteRtCheck.LiteRt(bytes, model, inputs, dir.Path);
        var diff = LiteRtCheck.MaxAbsDiff(expected, actual);
        Assert.True(diff <= tolerance, $"max abs diff {diff} > {tolerance}");
    }

    [Fact]
    public void Convolutions_pools_flatten_and_softmax_match_TorchSharp()
    {
        using var model = TestModels.Input(3, 13, 13)
            .Conv("conv_valid", 6, 3, activation: Activation.Relu)
            .Conv("conv_same_s2", 8, 3, stride: 2, padding: Padding.Same, activation: Activation.Relu6)
            .MaxPool("max_same", 2, padding: Padding.Same)
            .AvgPool("avg_valid", 2, stride: 1)
            .Flatten("flatten")
            .Dense("hidden", 16, Activation.Relu)
            .Dropout("dropout")
            .Dense("probabilities", 5, Activation.Softmax)
            .Build("ConvNet");
        AssertMatches(model);
    }

    [Fact]
    public void Depthwise_with_multiplier_batchnorm_folding_with_its_activation_pools_and_global_average_match_TorchSharp()
    {
        using var model = TestModels.Input(3, 12, 12)
            .Conv("conv", 4, 3, padding: Padding.Same)
            .BatchNorm("conv_bn", Activation.Relu)
            .Depthwise("depthwise", 2, 3, stride: 2, padding: Padding.Same, activation: Activation.Relu)
            .AvgPool("avg_same", 3, stride: 2, padding: Padding.Same)
            .MaxPool("max_valid", 2, stride: 1)
            .Depthwise("depthwise_tanh", 1, 2, activation: Activation.Tanh)
            .GlobalAvgPool("gap")
            .Dense("sigmoid", 3, Activation.Sigmoid)
            .Build("DepthwiseNet");
        AssertMatches(model);
    }

    /// <summary>
    /// PyTorch's padding: TFLite has no symmetric mode, so each padded op is a PAD (PADV2 with the lowest value before
    /// a max pool, whose input here is a convolution's, negative in places) and then the VALID op.
    /// </summary>
    [Fact]
    public void Symmetric_padding_of_convolutions_and_pools_matches_TorchSharp()
    {
        using var model = SymmetricNet();
        // Observed: 6.0e-8 in logits; with the max pool's input padded with zeros (PAD instead of PADV2), 0.019.
        AssertMatches(model);
        var operators = TfLiteReader.Read(TfLiteExporter.Export(model, new ExportOptions())).Operators.Select(o => o.Name).ToArray();
        Assert.Equal(["PAD", "CONV_2D", "PADV2", "MAX_POOL_2D", "PAD", "DEPTHWISE_CONV_2D", "PAD", "AVERAGE_POOL_2D", "RESHAPE", "FULLY_CONNECTED"], operators);
    }

    /// <summary>ResNet's stem (7x7 stride 2, max pool 3x3 stride 2) and every other windowed layer, with symmetric padding.</summary>
    internal static Model SymmetricNet() => TestModels.Input(3, 16, 16)
        .Conv("stem", 8, 7, stride: 2, padding: Padding.Symmetric)
        .MaxPool("max", 3, stride: 2, padding: Padding.Symmetric)
        .Depthwise("depthwise", 2, 3, stride: 2, padding: Padding.Symmetric, activation: Activation.Relu)
        .AvgPool("avg", 3, stride: 1, padding: Padding.Symmetric)
        .Flatten("flatten")
        .Dense("logits", 5)
        .Build("SymmetricNet");

    [Fact]
    public void Tabular_dense_stack_with_batchnorm_and_every_activation_matches_TorchSharp()
    {
        using var model = TestModels.Input(10)
            .Dense("tanh", 12, Activation.Tanh)
            .Dense("linear", 12)
            .BatchNorm("bn")
            .Dropout("dropout")
            .Dense("relu6", 8, Activation.Relu6)
            .Dense("logits", 4)
            .Build("Tabular");
        AssertMatches(model);
    }
}
