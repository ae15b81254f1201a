using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>The per-channel mean over height and width: [N, C, H, W] to [N, C].</summary>
internal sealed class GlobalAveragePool2DLayer(GlobalAveragePool2DSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input) => input.mean([2L, 3L]);

    internal override void Lower(Lowering lowering) => lowering.Add(new MeanOp(spec.Name, lowering.LayerIndex, spec.Activation));
}
