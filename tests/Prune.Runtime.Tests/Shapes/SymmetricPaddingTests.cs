using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Shapes;

/// <summary>
/// Padding.Symmetric computes what libtorch computes with its own padding argument ((window − 1) / 2 on every side):
/// what a network trained in PyTorch computes, which a pretrained ResNet-18 needs (7x7 stride 2 pad 3, 3x3 pad 1, max
/// pool 3x3 stride 2 pad 1).
/// </summary>
public class SymmetricPaddingTests
{
    // Observed: 0 in every case (the layer pads, then convolves or pools without padding).
    private const float Tolerance = 1e-6f;

    [Theory]
    [InlineData(3, 15, 16, 7, 2)]   // ResNet's stem: pad 3
    [InlineData(4, 9, 7, 3, 2)]     // a stride-2 block: pad 1, odd sizes
    [InlineData(4, 8, 8, 3, 1)]
    [InlineData(2, 7, 6, 4, 1)]     // even window: pad 1 on every side, as torch with padding (4 − 1) / 2
    public void Conv2D_matches_libtorch_conv2d_with_padding(int channels, int height, int width, int kernel, int stride)
    {
        using var layer = (WeightLayer)Single(TestModels.Input(channels, height, width).Conv("conv", 5, kernel, stride, Padding.Symmetric));
        using var x = Input(channels, height, width);
        long pad = (kernel - 1) / 2;
        using var expected = nn.functional.conv2d(x, layer.Weight, layer.Bias, [stride, stride], [pad, pad]);
        AssertClose(expected, layer, x);
    }

    [Fact]
    public void DepthwiseConv2D_matches_libtorch_grouped_conv2d_with_padding()
    {
        using var layer = (WeightLayer)Single(TestModels.Input(3, 9, 7).Depthwise("depthwise", 2, 3, stride: 2, padding: Padding.Symmetric));
        using var x = Input(3, 9, 7);
        using var expected = nn.functional.conv2d(x, layer.Weight, layer.Bias, [2, 2], [1, 1], groups: 3);
        AssertClose(expected, layer, x);
    }

    [Theory]
    [InlineData(9, 9, 3, 2)]        // ResNet's max pool: 3x3 stride 2 pad 1
    [InlineData(8, 11, 3, 2)]
    [InlineData(7, 7, 5, 1)]
    public void MaxPool2D_matches_libtorch_max_pool2d_with_padding_and_padding_never_wins(int height, int width, int pool, int stride)
    {
        using var layer = Single(TestModels.Input(3, height, width).MaxPool("pool", pool, stride, Padding.Symmetric));
        // All negative: a zero padding would win at every border window.
        using var x = Input(3, height, width) - 10;
        long pad = (pool - 1) / 2;
        using var expected = nn.functional.max_pool2d(x, [pool, pool], [stride, stride], [pad, pad]);
        Assert.True(expected.max().item<float>() < 0);
        AssertClose(expected, layer, x);
    }

    [Theory]
    [InlineData(9, 9, 3, 2)]
    [InlineData(8, 11, 3, 3)]
    public void AveragePool2D_matches_libtorch_avg_pool2d_counting_the_padding(int height, int width, int pool, int stride)
    {
        using var layer = Single(TestModels.Input(3, height, width).AvgPool("pool", pool, stride, Padding.Symmetric));
        using var x = Input(3, height, width) + 1;
        long pad = (pool - 1) / 2;
        using var expected = nn.functional.avg_pool2d(x, [pool, pool], [stride, stride], [pad, pad], count_include_pad: true);
        AssertClose(expected, layer, x);
    }

    /// <summary>The model's only layer, built alone: a model may not end in an image (PRUNE030).</summary>
    private static Layer Single(TestModels model)
    {
        var layer = Layer.Create(model.Spec("Padded").Layers[0]);
        layer.eval();
        return layer;
    }

    private static Tensor Input(int channels, int height, int width)
    {
        using var generator = new Generator(3);
        return randn([2, channels, height, width], generator: generator);
    }

    private static void AssertClose(Tensor expected, Layer layer, Tensor x)
    {
        using var _ = no_grad();
        using var actual = layer.call(x);
        Assert.Equal(expected.shape, actual.shape);
        var diff = (actual - expected).abs().max().item<float>();
        Assert.True(diff <= Tolerance, $"max abs diff {diff} > {Tolerance}");
    }
}
