using Prune.Specs;
using Prune.Specs.Rules;
using static System.FormattableString;

namespace Prune.Pruning;

/// <summary>A layer that depends on a group's channels, and how many of its channels (or, for a consumer, input
/// features) each of the group's channels accounts for.</summary>
/// <param name="Layer">Its index in the model's layers.</param>
/// <param name="Width">Its consecutive channels (features) per channel of the group: 1 for a BatchNorm, the multiplier
/// for a DepthwiseConv2D, times H·W after a Flatten.</param>
internal sealed record ChannelUse(int Layer, int Width)
{
    /// <summary>The indices, along this layer's channel (or feature) dimension, that the group's
    /// <paramref name="keptChannels"/> map to: c·w … c·w + w − 1 for each kept c.</summary>
    public long[] Expand(IReadOnlyList<long> keptChannels) =>
        [.. keptChannels.SelectMany(c => Enumerable.Range(0, Width).Select(j => (c * Width) + j))];
}

/// <summary>
/// One set of channels filter pruning removes together, and everything that depends on it. The producers are the
/// layers that make the channels (a Conv2D's filters, a Dense layer's units): one in a sequence, several when an Add
/// sums their outputs (a residual block's last convolution and its shortcut), and all of them keep the same channels.
/// The followers are the per-channel layers on the way (BatchNorm, DepthwiseConv2D), whose channels c go with channel
/// c; the consumers are the layers that mix channels after them (Conv2D, Dense), whose inputs from channel c go too.
/// Pooling, Dropout and Add pass channels through; a Flatten turns channel c into H·W features.
/// </summary>
/// <param name="Producers">The filter-pruned layers, in order.</param>
/// <param name="Followers">Per-channel layers that read the channels; their output channels shrink.</param>
/// <param name="Consumers">The layers whose inputs shrink.</param>
internal sealed record ChannelGroup(IReadOnlyList<int> Producers, IReadOnlyList<ChannelUse> Followers, IReadOnlyList<ChannelUse> Consumers);

/// <summary>
/// The dependency graph of filter pruning, derived from the spec's connections and layer kinds (<see cref="ChannelFlows"/>)
/// rather than written per model: layers whose outputs carry the same channels (a producer, what follows it per
/// channel, what an Add joins to it) form one set, and every set that holds a filter-pruned layer is a
/// <see cref="ChannelGroup"/>.
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

    private static (List<ChannelGroup> Groups, List<(int Layer, Problem Problem)> Problems) Find(ModelSpec spec)
    {
        var layers = spec.Layers;
        var sets = new ChannelSets(spec);
        var graph = sets.Graph;
        var groups = new List<ChannelGroup>();
        var problems = new List<(int Layer, Problem Problem)>();
        foreach (var set in Enumerable.Range(0, layers.Count).Where(i => layers[i].Pruning?.Filter is not null).Select(sets.Find).Distinct())
        {
            var members = Enumerable.Range(0, layers.Count).Where(i => sets.Find(i) == set).ToList();
            var producers = members.Where(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.Mixes).ToList();
            // A set whose only marked layer does not make channels (a BatchNorm): SpecValidation's placement rule says so.
            var first = producers.Where(i => layers[i].Pruning?.Filter is not null).DefaultIfEmpty(-1).First();
            if (first < 0) continue;
            if (SetProblem(spec, sets, members, producers, first) is { } problem)
            {
                problems.Add((first, problem));
                continue;
            }
            var followers = members.Where(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.PerChannel).Select(i => new ChannelUse(i, sets.Width(i)));
            var consumers = Enumerable.Range(0, layers.Count)
                .Where(j => ChannelFlows.Of(layers[j].Kind) == ChannelFlow.Mixes && graph.InputOf(j) is var input && input >= 0 && sets.Find(input) == set)
                .Select(j => new ChannelUse(j, sets.Width(graph.InputOf(j))));
            groups.Add(new ChannelGroup(producers, [.. followers], [.. consumers]));
        }
        return (groups, problems);
    }

    /// <summary>Why the channel set of the filter-pruned <paramref name="layer"/> cannot lose channels, or null.</summary>
    private static Problem? SetProblem(ModelSpec spec, ChannelSets sets, List<int> members, List<int> producers, int layer)
    {
        var layers = spec.Layers;
        var name = layers[layer].Name;
        Problem Fail(string problem) => new(Rule.FilterCannotBeRemoved, Invariant($"Layer '{name}': {problem}"));
        if (sets.HoldsModelInput(members[0]))
            return Fail("an Add joins its output channels to the model's input, whose channels cannot be removed; remove [FilterSparsity] from the layers whose outputs the Add sums");
        if (members.Contains(layers.Count - 1))
            return PruningRules.FilterPlacement(name, layers[layer].Kind, false, []);
        if (Enumerable.Range(0, layers.Count).FirstOrDefault(j => ChannelFlows.Of(layers[j].Kind) == ChannelFlow.Unknown
                && sets.Graph.InputsOf(j).Any(s => s >= 0 && members.Contains(s)), -1) is var unknown and >= 0)
            return Fail(Invariant($"filter pruning cannot follow removed channels through the {layers[unknown].Kind} layer '{layers[unknown].Name}' that reads them"));
        if (members.FirstOrDefault(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.Joins && sets.Graph.InputsOf(i).Select(sets.Width).Distinct().Count() > 1, -1) is var uneven and >= 0)
            return Fail(Invariant($"the Add '{layers[uneven].Name}' sums channels that come from its producers at different widths (a DepthwiseConv2D multiplier or a Flatten on one side), so they cannot be removed together"));
        var pruning = layers[layer].Pruning!;
        if (producers.FirstOrDefault(p => !Equals(layers[p].Pruning, pruning), -1) is var other and >= 0)
        {
            var join = members.First(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.Joins);
            return Fail(Invariant(
                $"the Add '{layers[join].Name}' sums its output channels with those of '{layers[other].Name}', so they are removed together; give '{layers[other].Name}' the same [FilterSparsity], criterion and schedule"));
        }
        if (pruning.Filter == FilterCriterion.BatchNormScale && producers.FirstOrDefault(p => NormAfter(spec, sets.Graph, p) is null, -1) is var bare and >= 0)
            return PruningRules.FilterPlacement(layers[bare].Name, layers[bare].Kind, true, []);
        return null;
    }

    /// <summary>The BatchNorm that reads <paramref name="producer"/>'s output (through layers that pass channels
    /// through), whose scale the BatchNorm-scale criterion ranks its channels by; null when there is none.</summary>
    public static int? NormAfter(ModelSpec spec, LayerGraph graph, int producer)
    {
        foreach (var reader in graph.ReadersOf(producer))
        {
            var kind = spec.Layers[reader].Kind;
            if (kind == "BatchNorm") return reader;
            if (ChannelFlows.Of(kind) == ChannelFlow.PassesThrough && NormAfter(spec, graph, reader) is { } later) return later;
        }
        return null;
    }

    /// <summary>The sets of layers whose outputs carry the same channels (union-find over the graph), and each layer's
    /// width: how many of its output channels (features) one channel of its set's producers makes.</summary>
    private sealed class ChannelSets
    {
        private readonly int[] _parent;
        private readonly int[] _width;
        private readonly int _input;

        /// <summary>The model's connections, built once for every question asked of the sets.</summary>
        public LayerGraph Graph { get; }

        public ChannelSets(ModelSpec spec)
        {
            var layers = spec.Layers;
            var graph = Graph = spec.Graph;
            _input = layers.Count;
            _parent = Enumerable.Range(0, layers.Count + 1).ToArray();
            _width = Enumerable.Repeat(1, layers.Count + 1).ToArray();
            for (var i = 0; i < layers.Count; i++)
            {
                var layer = layers[i];
                var input = Node(graph.InputOf(i));
                switch (ChannelFlows.Of(layer.Kind))
                {
                    case ChannelFlow.PerChannel:
                        _width[i] = _width[input] * (layer.OutputShape[0] / layer.InputShape[0]);
                        Union(i, input);
                        break;
                    case ChannelFlow.PassesThrough:
                        _width[i] = _width[input];
                        Union(i, input);
                        break;
                    case ChannelFlow.Flattens:
                        _width[i] = _width[input] * (int)(layer.InputShape.ElementCount / layer.InputShape[0]);
                        Union(i, input);
                        break;
                    case ChannelFlow.Joins:
                        _width[i] = _width[input];
                        foreach (var source in graph.InputsOf(i)) Union(i, Node(source));
                        break;
                }
            }
        }

        public int Find(int layer)
        {
            var node = Node(layer);
            while (_parent[node] != node) node = _parent[node] = _parent[_parent[node]];
            return node;
        }

        public int Width(int layer) => _width[Node(layer)];

        public bool HoldsModelInput(int member) => Find(member) == Find(LayerGraph.ModelInput);

        private int Node(int layer) => layer == LayerGraph.ModelInput ? _input : layer;

        private void Union(int a, int b) => _parent[Find(a)] = Find(b);
    }
}
