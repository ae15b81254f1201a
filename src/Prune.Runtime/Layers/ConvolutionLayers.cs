using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>A 2-D convolution; weight [filters, in, kh, kw].</summary>
public sealed class Conv2DLayer : WeightLayer
{
    private readonly Conv2DSpec _spec;

    /// <summary>Builds the layer a spec describes.</summary>
    public Conv2DLayer(Conv2DSpec spec)
        : base(spec, [spec.Filters, spec.InputShape[0], spec.Kernel.Height, spec.Kernel.Width], spec.Filters, spec.UseBias) => _spec = spec;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = _spec.Padding == Padding.Same ? Padding2D.PadSame(input, _spec.Kernel, _spec.Stride) : input;
        var y = nn.functional.conv2d(x, Weight, Bias, strides: [_spec.Stride.Height, _spec.Stride.Width]);
        return Activate(y, _spec.Activation);
    }
}

/// <summary>A depthwise convolution (groups = input channels); weight [in·multiplier, 1, kh, kw].</summary>
public sealed class DepthwiseConv2DLayer : WeightLayer
{
    private readonly DepthwiseConv2DSpec _spec;

    /// <summary>Builds the layer a spec describes.</summary>
    public DepthwiseConv2DLayer(DepthwiseConv2DSpec spec)
        : base(spec, [spec.InputShape[0] * spec.DepthMultiplier, 1, spec.Kernel.Height, spec.Kernel.Width],
            spec.InputShape[0] * spec.DepthMultiplier, spec.UseBias) => _spec = spec;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = _spec.Padding == Padding.Same ? Padding2D.PadSame(input, _spec.Kernel, _spec.Stride) : input;
        var y = nn.functional.conv2d(x, Weight, Bias, strides: [_spec.Stride.Height, _spec.Stride.Width], groups: _spec.InputShape[0]);
        return Activate(y, _spec.Activation);
    }
}

/// <summary>A fully connected layer; weight [units, inputs].</summary>
public sealed class DenseLayer : WeightLayer
{
    private readonly DenseSpec _spec;

    /// <summary>Builds the layer a spec describes.</summary>
    public DenseLayer(DenseSpec spec) : base(spec, [spec.Units, spec.InputShape[0]], spec.Units, spec.UseBias) => _spec = spec;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => Activate(nn.functional.linear(input, Weight, Bias), _spec.Activation);
}
