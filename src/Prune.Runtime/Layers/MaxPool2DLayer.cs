using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>Max pooling; SAME and symmetric padding pad with −∞ so that padding never wins.</summary>
internal sealed class MaxPool2DLayer(MaxPool2DSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input)
    {
        var x = Padding2D.Pad(input, spec.Padding, spec.Pool, spec.Stride, double.NegativeInfinity);
        return nn.functional.max_pool2d(x, [spec.Pool.Height, spec.Pool.Width], [spec.Stride.Height, spec.Stride.Width]);
    }

    internal override void Lower(Lowering lowering) =>
        lowering.Add(new PoolOp(spec.Name, lowering.LayerIndex, spec.Activation, Max: true, spec.Pool, spec.Stride, spec.Padding));
}
