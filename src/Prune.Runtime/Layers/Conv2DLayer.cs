using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>A 2-D convolution; weight [filters, in, kh, kw].</summary>
internal sealed class Conv2DLayer(Conv2DSpec spec) : WeightLayer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input)
    {
        var x = Padding2D.Pad(input, spec.Padding, spec.Kernel, spec.Stride);
        if (x.shape[2] == spec.Kernel.Height && x.shape[3] == spec.Kernel.Width) return WholeInput(x);
        if (training && x.device_type == TorchSharp.DeviceType.CPU) return Unfolded(x);
        if (spec.Kernel.Height * spec.Kernel.Width > 1 && ChannelsLibtorchComputes(x.shape[1]) is var channels && channels != x.shape[1])
            return WithZeroChannels(x, channels);
        return nn.functional.conv2d(x, Weight, Bias, strides: [spec.Stride.Height, spec.Stride.Width]);
    }

    /// <summary>
    /// libtorch 2.10's CPU convolution computes a kernel larger than 1x1 over more than 16 input channels wrongly unless
    /// their count is a multiple of 16 (errors of 13 to 20 against the same sum written as unfold and a matrix product,
    /// at 17, 18 and 24 channels; 2e-5 at 16, 32 and 48; measured, see docs/tflite.md). Such an input is convolved with
    /// zero channels added up to the next multiple of 16, read by zero weights: the same sum, computed right.
    /// </summary>
    private static long ChannelsLibtorchComputes(long channels) => channels > 16 && channels % 16 != 0 ? (channels + 15) / 16 * 16 : channels;

    /// <summary>
    /// While training on the CPU, the convolution as unfold and a matrix product: libtorch 2.10's CPU convolution now
    /// and then computes its input's gradient from memory it did not write (NaN or wrong values, more often with several
    /// threads; docs/reliability.md), and a model that trains on it diverges at random. Unfold's gradient is exact.
    /// </summary>
    private Tensor Unfolded(Tensor x)
    {
        using var columns = nn.functional.unfold(x, (spec.Kernel.Height, spec.Kernel.Width), stride: (spec.Stride.Height, spec.Stride.Width));
        using var weight = Weight.flatten(1);
        using var product = matmul(weight, columns);
        using var shaped = product.reshape(x.shape[0], spec.Filters, spec.OutputShape[1], spec.OutputShape[2]);
        return Bias is { } bias ? shaped + bias.reshape(1, spec.Filters, 1, 1) : shaped.alias();
    }

    private Tensor WithZeroChannels(Tensor x, long channels)
    {
        long[] extra = [0, 0, 0, 0, 0, channels - x.shape[1]];   // (w, h, c) pads of the last three dimensions
        using var padded = nn.functional.pad(x, extra);
        using var weight = nn.functional.pad(Weight, extra);
        return nn.functional.conv2d(padded, weight, Bias, strides: [spec.Stride.Height, spec.Stride.Width]);
    }

    /// <summary>
    /// A kernel that covers its whole input is a dense layer over the flattened input, and is computed as one: libtorch
    /// 2.10's CPU convolution then computes the input's gradient from memory it did not write (NaN in 2 of 2,000
    /// identical backward passes of 16→10 on 3x3 inputs, measured), so a model ending in such a layer diverged at random.
    /// </summary>
    private Tensor WholeInput(Tensor x)
    {
        using var flat = x.flatten(1);
        using var weight = Weight.flatten(1);
        using var output = nn.functional.linear(flat, weight, Bias);
        return output.reshape(x.shape[0], spec.Filters, 1, 1);
    }

    internal override void Lower(Lowering lowering)
    {
        using var filter = Weight.detach().permute(0, 2, 3, 1).contiguous();    // TFLite's [out, kh, kw, in]
        lowering.Add(new ConvOp(spec.Name, lowering.LayerIndex, spec.Activation, Lowering.Values(filter), Lowering.Shape(filter), Lowering.BiasOf(this),
            spec.Stride, spec.Padding, DepthMultiplier: 1, Depthwise: false));
    }
}
