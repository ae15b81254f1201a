using Prune.Specs;
using Prune.Specs.Rules;
using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// Builds the smaller dense model a filter-pruned one stands for: each filter-pruned layer keeps only its kept output
/// channels, each <see cref="ChannelGroup"/>'s followers only theirs, and its consumers only the inputs that read them.
/// The new spec's shapes, parameters and MACs are inferred by the rules, and the kept parameters are copied over.
/// </summary>
internal static class ChannelShrink
{
    /// <param name="model">The stripped model (no masks), whose removed channels are no longer read.</param>
    /// <param name="groups">Its filter-pruned channel groups and what depends on them.</param>
    /// <param name="kept">The kept channels of each group, in the order of <paramref name="groups"/>.</param>
    public static Model Apply(Model model, IReadOnlyList<ChannelGroup> groups, IReadOnlyList<long[]> kept)
    {
        var layers = model.Spec.Layers;
        var keptOutputs = new long[]?[layers.Count];
        var keptInputs = new long[]?[layers.Count];
        foreach (var (group, channels) in groups.Zip(kept))
        {
            foreach (var producer in group.Producers) keptOutputs[producer] = channels;
            foreach (var follower in group.Followers) keptOutputs[follower.Layer] = follower.Expand(channels);
            foreach (var consumer in group.Consumers) keptInputs[consumer.Layer] = consumer.Expand(channels);
        }

        // Each layer is inferred again on the shrunk output of the layer it reads (and an Add on its shrunk shortcut).
        var resized = model.Spec.Resized(model.Spec.InputShape,
            i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.Mixes && keptOutputs[i] is { } own ? own.Length : null);
        var shrunk = Model.FromSpec(resized with { Layers = [.. resized.Layers.Select(l => l with { Pruning = PruningAfterShrink(l) })] });
        shrunk.train(model.training);
        using var noGrad = no_grad();
        for (var i = 0; i < layers.Count; i++)
        {
            var target = shrunk.Layers[i].state_dict();
            foreach (var (name, value) in model.Layers[i].state_dict())
            {
                using var selected = Select(value, name, keptOutputs[i], keptInputs[i]);
                target[name].copy_(selected);
            }
        }
        return shrunk;
    }

    /// <summary>The parameter's (or buffer's) kept part: outputs along dimension 0, a weight's inputs along dimension 1.</summary>
    private static Tensor Select(Tensor value, string name, long[]? outputs, long[]? inputs)
    {
        var result = value.detach();
        if (outputs is not null && result.dim() >= 1)
        {
            using var index = tensor(outputs);
            var next = result.index_select(0, index);
            result.Dispose();
            result = next;
        }
        if (inputs is not null && name == "weight" && result.dim() >= 2)
        {
            using var index = tensor(inputs);
            var next = result.index_select(1, index);
            result.Dispose();
            result = next;
        }
        return result;
    }

    /// <summary>Removed channels are gone: the smaller model is dense where filters were pruned. Another pattern stays
    /// only where it still fits the smaller weight (what it reports is the sparsity of the layers before shrinking).</summary>
    private static PruningSpec? PruningAfterShrink(LayerSpec layer) =>
        layer.Pruning is not { } pruning || pruning.Filter is not null || layer.Weight is not { } weight
            || SpecValidation.Fit(layer.Name, pruning, new WeightView([.. weight.Shape])).Any() ? null : pruning;
}
