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
        return nn.functional.conv2d(x, Weight, Bias, strides: [spec.Stride.Height, spec.Stride.Width]);
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
