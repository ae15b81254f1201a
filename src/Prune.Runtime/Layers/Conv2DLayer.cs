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
        var x = spec.Padding == Padding.Same ? Padding2D.PadSame(input, spec.Kernel, spec.Stride) : input;
        return nn.functional.conv2d(x, Weight, Bias, strides: [spec.Stride.Height, spec.Stride.Width]);
    }

    internal override void Lower(Lowering lowering)
    {
        using var filter = Weight.detach().permute(0, 2, 3, 1).contiguous();    // TFLite's [out, kh, kw, in]
        lowering.Add(new ConvOp(spec.Name, lowering.LayerIndex, spec.Activation, Lowering.Values(filter), Lowering.Shape(filter), Lowering.BiasOf(this),
            spec.Stride, spec.Padding, DepthMultiplier: 1, Depthwise: false));
    }
}
