using Prune.Specs;
using Prune.Specs.Rules;

namespace Prune.Pruning;

/// <summary>
/// The dependency graph of filter pruning for a model's spec: its layers as <see cref="ChannelGroups"/> (the rule the
/// generator reports PRUNE032 with at compile time) sees them, so that what the pruner removes together and what the
/// generator checks are one computation.
/// </summary>
internal static class ChannelDependencies
{
    /// <summary>The groups of <paramref name="spec"/>'s filter-pruned layers, in order; none when no layer uses the pattern.</summary>
    /// <exception cref="InvalidSpecException">Removed channels cannot be followed (PRUNE032).</exception>
    public static IReadOnlyList<ChannelGroup> Of(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (groups, problems) = Find(spec);
        InvalidSpecException.ThrowIfAny(problems.Select(p => p.Problem));
        return groups;
    }

    /// <summary>Why the filter-pruned layers of <paramref name="spec"/> cannot be pruned together with what their
    /// channels are joined to; empty when they can. The spec's names must resolve.</summary>
    public static IReadOnlyList<(int Layer, Problem Problem)> Problems(ModelSpec spec) => Find(spec).Problems;

    /// <summary>The BatchNorm whose scale the BatchNorm-scale criterion ranks <paramref name="producer"/>'s channels by, or null.</summary>
    public static int? NormAfter(ModelSpec spec, LayerGraph graph, int producer) =>
        ChannelGroups.NormAfter([.. spec.Layers.Select(l => l.Kind)], graph, producer);

    private static (List<ChannelGroup> Groups, List<(int Layer, Problem Problem)> Problems) Find(ModelSpec spec) =>
        ChannelGroups.Find([.. spec.Layers.Select(Describe)], spec.Graph);

    /// <summary>A layer as the channel groups see it; the pruning spec itself is what layers joined by an Add must share.</summary>
    private static ChannelLayer Describe(LayerSpec layer) => new(layer.Name, layer.Kind, layer.InputShape, layer.OutputShape,
        layer.Pruning is { Filter: { } criterion } pruning ? new FilterPruning(pruning, criterion == FilterCriterion.BatchNormScale) : null);
}
