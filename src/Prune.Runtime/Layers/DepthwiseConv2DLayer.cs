using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>A depthwise convolution (groups = input channels); weight [in·multiplier, 1, kh, kw].</summary>
internal sealed class DepthwiseConv2DLayer(DepthwiseConv2DSpec spec) : WeightLayer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input)
    {
        var x = Padding2D.Pad(input, spec.Padding, spec.Kernel, spec.Stride);
        return nn.functional.conv2d(x, Weight, Bias, strides: [spec.Stride.Height, spec.Stride.Width], groups: spec.InputShape[0]);
    }

    internal override void Lower(Lowering lowering)
    {
        using var filter = Weight.detach().permute(1, 2, 3, 0).contiguous();    // TFLite's [1, kh, kw, in·multiplier]
        lowering.Add(new ConvOp(spec.Name, lowering.LayerIndex, spec.Activation, Lowering.Values(filter), Lowering.Shape(filter), Lowering.BiasOf(this),
            spec.Stride, spec.Padding, spec.DepthMultiplier, Depthwise: true));
    }
}
