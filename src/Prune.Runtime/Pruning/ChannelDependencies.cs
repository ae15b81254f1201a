using Prune.Specs;
using Prune.Specs.Rules;

namespace Prune.Pruning;

/// <summary>A layer downstream of a filter-pruned one whose channels go with the removed ones, and how many of its
/// channels (or, for the consumer, input features) each removed channel accounts for.</summary>
/// <param name="Layer">Its index in the model's layers.</param>
/// <param name="Width">Its consecutive channels (features) per channel of the pruned layer: 1 for a BatchNorm, the
/// multiplier for a DepthwiseConv2D, times H·W after a Flatten.</param>
internal sealed record ChannelUse(int Layer, int Width)
{
    /// <summary>The indices, along this layer's channel (or feature) dimension, that the pruned layer's
    /// <paramref name="keptChannels"/> map to: c·w … c·w + w − 1 for each kept c.</summary>
    public long[] Expand(IReadOnlyList<long> keptChannels) =>
        [.. keptChannels.SelectMany(c => Enumerable.Range(0, Width).Select(j => (c * Width) + j))];
}

/// <summary>
/// One filter-pruned layer and what depends on its output channels: the per-channel layers after it (BatchNorm,
/// DepthwiseConv2D), whose channels c go with channel c, and the next layer that mixes channels (Conv2D, Dense), whose
/// inputs from channel c go too. Pooling and Dropout pass channels through; a Flatten turns channel c into H·W features.
/// </summary>
/// <param name="Producer">The filter-pruned layer's index.</param>
/// <param name="Followers">Per-channel layers between it and the consumer; their output channels shrink.</param>
/// <param name="Consumer">The layer whose inputs shrink.</param>
internal sealed record ChannelGroup(int Producer, IReadOnlyList<ChannelUse> Followers, ChannelUse Consumer);

/// <summary>
/// The dependency graph of filter pruning over a sequential model, derived from the spec's layer kinds
/// (<see cref="ChannelFlows"/>) rather than written per model: one <see cref="ChannelGroup"/> per filter-pruned layer.
/// A residual block would add a second consumer (and tie the producers of an addition into one group); the sequential
/// models Prune declares today have exactly one.
/// </summary>
internal static class ChannelDependencies
{
    /// <summary>The groups of <paramref name="spec"/>'s filter-pruned layers, in order; none when no layer uses the pattern.</summary>
    /// <exception cref="InvalidSpecException">A filter-pruned layer whose channels cannot be followed (PRUNE032).</exception>
    public static IReadOnlyList<ChannelGroup> Of(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var groups = new List<ChannelGroup>();
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i].Pruning?.Filter is null) continue;
            groups.Add(Follow(spec, i));
        }
        return groups;
    }

    private static ChannelGroup Follow(ModelSpec spec, int producer)
    {
        var followers = new List<ChannelUse>();
        var width = 1;
        for (var j = producer + 1; j < spec.Layers.Count; j++)
        {
            var layer = spec.Layers[j];
            switch (ChannelFlows.Of(layer.Kind))
            {
                case ChannelFlow.Mixes:
                    return new ChannelGroup(producer, followers, new ChannelUse(j, width));
                case ChannelFlow.PerChannel:
                    width *= layer.OutputShape[0] / layer.InputShape[0];
                    followers.Add(new ChannelUse(j, width));
                    break;
                case ChannelFlow.Flattens:
                    width *= (int)(layer.InputShape.ElementCount / layer.InputShape[0]);
                    break;
                case ChannelFlow.PassesThrough:
                    break;
                default:
                    return Unfollowable(spec, producer);
            }
        }
        return Unfollowable(spec, producer);
    }

    private static ChannelGroup Unfollowable(ModelSpec spec, int producer)
    {
        var layer = spec.Layers[producer];
        var after = spec.Layers.Skip(producer + 1).Select(l => l.Kind).ToList();
        InvalidSpecException.ThrowIfAny(PruningRules.FilterPlacement(layer.Name, layer.Kind, layer.Pruning!.Filter == FilterCriterion.BatchNormScale, after));
        throw new InvalidOperationException($"Layer {layer.Name}: its removed channels cannot be followed.");
    }
}
