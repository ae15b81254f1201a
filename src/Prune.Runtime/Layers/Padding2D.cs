using Prune.Specs;
using Prune.Specs.Rules;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>
/// The padding a window layer adds around its input: TensorFlow's SAME (output ceil(input / stride), the odd pixel of
/// padding at the bottom and right) or PyTorch's symmetric padding ((window − 1) / 2 on every side).
/// </summary>
internal static class Padding2D
{
    /// <summary>[left, right, top, bottom], as <c>nn.functional.pad</c> takes it, for an input of <paramref name="height"/> × <paramref name="width"/>; zeros for VALID.</summary>
    public static long[] Amounts(Padding padding, long height, long width, Size2D window, Size2D stride)
    {
        switch (padding)
        {
            case Padding.Same:
                var (top, bottom) = SameSplit(height, window.Height, stride.Height);
                var (left, right) = SameSplit(width, window.Width, stride.Width);
                return [left, right, top, bottom];
            case Padding.Symmetric:
                return Symmetric(window);
            default:
                return [0, 0, 0, 0];
        }
    }

    /// <summary>Symmetric padding's [left, right, top, bottom], which depends on the window only.</summary>
    public static long[] Symmetric(Size2D window)
    {
        long vertical = WindowPaddings.SymmetricAmount(window.Height), horizontal = WindowPaddings.SymmetricAmount(window.Width);
        return [horizontal, horizontal, vertical, vertical];
    }

    /// <summary>Pads <paramref name="x"/> (NCHW) with <paramref name="value"/> as <paramref name="padding"/> asks; returns
    /// <paramref name="x"/> itself when no padding is needed.</summary>
    public static Tensor Pad(Tensor x, Padding padding, Size2D window, Size2D stride, double value = 0)
    {
        var pad = Amounts(padding, x.shape[2], x.shape[3], window, stride);
        return pad.All(p => p == 0) ? x : nn.functional.pad(x, pad, PaddingModes.Constant, value);
    }

    private static (long Before, long After) SameSplit(long size, int window, int stride)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max((output - 1) * stride + window - size, 0);
        return (total / 2, total - total / 2);
    }
}
