using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>Adds an earlier layer's output (the shortcut) to the input: the join of a residual block.</summary>
internal sealed class AddLayer(AddSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input) =>
        throw new InvalidOperationException($"Layer {spec.Name}: an Add reads its input and the output of '{spec.Shortcut}'; the model passes both.");

    /// <inheritdoc/>
    internal override Tensor PreActivationOf(Tensor input, IReadOnlyList<Tensor> others) =>
        others.Count == 1 ? input + others[0] : throw new InvalidOperationException($"Layer {spec.Name}: an Add reads two inputs, not {others.Count + 1}.");

    internal override void Lower(Lowering lowering) => lowering.Add(new AddOp(spec.Name, lowering.LayerIndex, spec.Activation));
}
