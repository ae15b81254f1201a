using Prune.Export;
using Prune.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>Average pooling; with SAME padding the padded cells are not counted (TensorFlow's behaviour), with symmetric
/// padding they are, as zeros (PyTorch's default, count_include_pad).</summary>
internal sealed class AveragePool2DLayer(AveragePool2DSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input)
    {
        long[] kernel = [spec.Pool.Height, spec.Pool.Width];
        long[] strides = [spec.Stride.Height, spec.Stride.Width];
        // VALID has no padding; symmetric padding counts its zeros in the mean (PyTorch's count_include_pad).
        if (spec.Padding != Padding.Same) return nn.functional.avg_pool2d(Padding2D.Pad(input, spec.Padding, spec.Pool, spec.Stride), kernel, strides);
        // SAME: the sum over the padded window divided by the count of real cells in it.
        var sums = nn.functional.avg_pool2d(Padding2D.Pad(input, Padding.Same, spec.Pool, spec.Stride), kernel, strides);
        using var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
        var counts = nn.functional.avg_pool2d(Padding2D.Pad(ones, Padding.Same, spec.Pool, spec.Stride), kernel, strides);
        return sums / counts;
    }

    internal override void Lower(Lowering lowering) =>
        lowering.Add(new PoolOp(spec.Name, lowering.LayerIndex, spec.Activation, Max: false, spec.Pool, spec.Stride, spec.Padding));
}
