using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>[N, C, H, W] to [N, C·H·W], channel-major; a vector stays as it is.</summary>
internal sealed class FlattenLayer(FlattenSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input) => input.flatten(1);

    /// <summary>An image becomes a RESHAPE of the NHWC tensor, in the order the Dense layers reading it expect
    /// (<see cref="ExportColumnOrder"/>).</summary>
    internal override void Lower(Lowering lowering)
    {
        if (spec.IsIdentityAtInference) return;
        var channelsFirst = ExportColumnOrder.FlattensChannelsFirst(lowering.Model, lowering.LayerIndex);
        lowering.Add(new FlattenOp(spec.Name, lowering.LayerIndex, spec.Activation, (int)spec.InputShape.ElementCount, channelsFirst));
    }
}
