using Prune.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>TensorFlow's SAME padding: output = ceil(input / stride), the odd pixel of padding at the bottom and right.</summary>
internal static class Padding2D
{
    /// <summary>[left, right, top, bottom], as <c>nn.functional.pad</c> takes it, for an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static long[] Same(long height, long width, Size2D window, Size2D stride)
    {
        var (top, bottom) = Split(height, window.Height, stride.Height);
        var (left, right) = Split(width, window.Width, stride.Width);
        return [left, right, top, bottom];
    }

    /// <summary>Pads <paramref name="x"/> (NCHW) for a SAME window; returns <paramref name="x"/> itself when no padding is needed.</summary>
    public static Tensor PadSame(Tensor x, Size2D window, Size2D stride, double value = 0)
    {
        var pad = Same(x.shape[2], x.shape[3], window, stride);
        return pad.All(p => p == 0) ? x : nn.functional.pad(x, pad, PaddingModes.Constant, value);
    }

    private static (long Before, long After) Split(long size, int window, int stride)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max((output - 1) * stride + window - size, 0);
        return (total / 2, total - total / 2);
    }
}
