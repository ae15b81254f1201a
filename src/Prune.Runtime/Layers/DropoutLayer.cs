using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>Dropout while training, identity in evaluation mode (and in exported files).</summary>
internal sealed class DropoutLayer(DropoutSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input) => nn.functional.dropout(input, spec.Rate, training);

    internal override void Lower(Lowering lowering) { }
}
