using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// tfmot's <c>strip_pruning</c>: bakes every mask into its weight and removes the <c>weight_mask</c> buffers. A model
/// with filter pruning is then shrunk (<see cref="ChannelShrink"/>): the removed channels leave the model.
/// </summary>
internal static class Strip
{
    /// <summary>
    /// Leaves <paramref name="model"/> a plain module whose pruned weights hold exact zeros and which has no pruning
    /// state, and returns it; or, when it removes channels, returns a new, smaller dense model that computes exactly the
    /// same (its spec has the fewer filters and units). The caller owns (and disposes) both.
    /// </summary>
    public static Model Apply(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var groups = ChannelDependencies.Of(model.Spec);
        // Which channels stay is what the filter masks say (one set for a group's producers); read them before the masks go.
        var kept = groups.Select(g => KeptChannels((WeightLayer)model.Layers[g.Producers[0]])).ToList();
        using (no_grad())
        {
            foreach (var layer in model.Layers.OfType<WeightLayer>())
            {
                if (layer.WeightMask is not { } mask) continue;
                layer.Weight.mul_(mask);
                layer.DetachMask();
            }
        }
        return groups.Count == 0 ? model : ChannelShrink.Apply(model, groups, kept);
    }

    /// <summary>The output channels whose mask row is not all zero; all of them when the layer holds no mask (it was never pruned).</summary>
    private static long[] KeptChannels(WeightLayer layer)
    {
        if (layer.WeightMask is not { } mask) return [.. Enumerable.Range(0, (int)layer.Weight.shape[0]).Select(c => (long)c)];
        using var scope = NewDisposeScope();
        var kept = FilterMasks.Channels(mask).nonzero().flatten();
        return kept.data<long>().ToArray();
    }
}
