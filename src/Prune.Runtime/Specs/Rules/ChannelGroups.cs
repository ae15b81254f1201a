namespace Prune.Specs.Rules;

/// <summary>A layer as filter pruning's channel groups see it: plain values the generator and the runtime both have.</summary>
/// <param name="Name">The layer's name.</param>
/// <param name="Kind">Its kind (<c>Conv2D</c>), whose <see cref="ChannelFlow"/> says what it does with channels.</param>
/// <param name="InputShape">One input sample's shape.</param>
/// <param name="OutputShape">One output sample's shape.</param>
/// <param name="Filter">How it is filter-pruned, or null when it is not.</param>
/// <param name="Block">The block field a block attribute expanded to this layer, whose attributes prune it; null for a
/// layer declared on its own.</param>
internal sealed record ChannelLayer(string Name, string Kind, IReadOnlyList<int> InputShape, IReadOnlyList<int> OutputShape, FilterPruning? Filter,
    string? Block = null)
{
    /// <summary>The layer in a message: <c>'block3_0_project' (of block 'block3')</c> when a block expanded to it.</summary>
    public string Quoted => PruningRules.Quote(Name, Block);

    /// <summary>What the user puts [Prune] and [FilterSparsity] on to prune this layer: its block's field, or itself.</summary>
    public string Declaration => Block ?? Name;
}

/// <summary>How a layer is filter-pruned.</summary>
/// <param name="Settings">Its pruning settings (criterion, schedule), compared with <see cref="object.Equals(object)"/>:
/// layers whose channels an Add joins must have equal ones. Each caller passes its own record of them, without where
/// they were declared.</param>
/// <param name="ByBatchNormScale">Whether channels are ranked by the scale of the BatchNorm after the layer.</param>
internal sealed record FilterPruning(object Settings, bool ByBatchNormScale);

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
/// The dependency graph of filter pruning (PRUNE032), derived from the connections and the layer kinds
/// (<see cref="ChannelFlows"/>) rather than written per model: layers whose outputs carry the same channels (a producer,
/// what follows it per channel, what an Add joins to it) form one set, and every set that holds a filter-pruned layer
/// is a <see cref="ChannelGroup"/>, unless its channels cannot be removed. The runtime prunes by the groups and refuses a
/// spec built by hand with the problems; the generator reports the problems at the attribute.
/// </summary>
internal static class ChannelGroups
{
    /// <summary>The groups of the filter-pruned layers, in order, and why the channels of the others cannot be removed
    /// (a problem by the index of the layer whose [FilterSparsity] asks for it).</summary>
    public static (List<ChannelGroup> Groups, List<(int Layer, Problem Problem)> Problems) Find(IReadOnlyList<ChannelLayer> layers, LayerGraph graph)
    {
        var sets = new ChannelSets(layers, graph);
        var groups = new List<ChannelGroup>();
        var problems = new List<(int Layer, Problem Problem)>();
        var pruned = Enumerable.Range(0, layers.Count).Where(i => layers[i].Filter is not null).ToList();
        foreach (var layer in pruned.Where(i => ChannelFlows.Of(layers[i].Kind) != ChannelFlow.Mixes))
            problems.Add((layer, PruningRules.FilterOnTiedChannels(layers[layer])));
        foreach (var set in pruned.Where(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.Mixes).Select(sets.Find).Distinct())
        {
            var members = Enumerable.Range(0, layers.Count).Where(i => sets.Find(i) == set).ToList();
            var producers = members.Where(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.Mixes).ToList();
            var first = producers.First(i => layers[i].Filter is not null);
            if (SetProblem(layers, sets, members, producers, first) is { } problem)
            {
                problems.Add(problem);
                continue;
            }
            var followers = members.Where(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.PerChannel).Select(i => new ChannelUse(i, sets.Width(i)));
            var consumers = Enumerable.Range(0, layers.Count)
                .Where(j => ChannelFlows.Of(layers[j].Kind) == ChannelFlow.Mixes && graph.InputOf(j) is var input
                    && input != LayerGraph.ModelInput && sets.Find(input) == set)
                .Select(j => new ChannelUse(j, sets.Width(graph.InputOf(j))));
            groups.Add(new ChannelGroup(producers, [.. followers], [.. consumers]));
        }
        problems.Sort((a, b) => a.Layer.CompareTo(b.Layer));
        return (groups, problems);
    }

    /// <summary>The BatchNorm that reads <paramref name="producer"/>'s output (through layers that pass channels
    /// through), whose scale the BatchNorm-scale criterion ranks its channels by; null when there is none.</summary>
    public static int? NormAfter(IReadOnlyList<string> kinds, LayerGraph graph, int producer)
    {
        foreach (var reader in graph.ReadersOf(producer))
        {
            var kind = kinds[reader];
            if (kind == "BatchNorm") return reader;
            if (ChannelFlows.Of(kind) == ChannelFlow.PassesThrough && NormAfter(kinds, graph, reader) is { } later) return later;
        }
        return null;
    }

    /// <summary>Why the channel set of the filter-pruned <paramref name="first"/> (its first filter-pruned producer) cannot
    /// lose channels, and at which layer; null when it can.</summary>
    private static (int Layer, Problem Problem)? SetProblem(IReadOnlyList<ChannelLayer> layers, ChannelSets sets, List<int> members, List<int> producers, int first)
    {
        var layer = layers[first];
        var graph = sets.Graph;
        if (sets.HoldsModelInput(first))
            return (first, PruningRules.FilterJoinedToModelInput(layer, layers[sets.JoinOf(members, first, LayerGraph.ModelInput)].Name));
        if (members.Contains(layers.Count - 1))
            return (first, PruningRules.FilterReachesOutput(layer));
        foreach (var member in members)
        {
            if (graph.ReadersOf(member).FirstOrNull(j => ChannelFlows.Of(layers[j].Kind) == ChannelFlow.Unknown) is { } unknown)
                return (first, PruningRules.FilterThroughUnknown(layer, layers[unknown].Kind, layers[unknown].Name));
        }
        if (members.FirstOrNull(i => ChannelFlows.Of(layers[i].Kind) == ChannelFlow.Joins && graph.InputsOf(i).Select(sets.Width).Distinct().Count() > 1) is { } uneven)
            return (first, PruningRules.FilterJoinedAtDifferentWidths(layer, layers[uneven].Name));
        var filter = layers[first].Filter!;
        if (producers.FirstOrNull(p => !Equals(layers[p].Filter, filter)) is { } other)
        {
            var join = layers[sets.JoinOf(members, first, other)].Name;
            return (first, PruningRules.FilterJoinedUnlike(layer, join, layers[other]));
        }
        var kinds = layers.Select(l => l.Kind).ToList();
        if (filter.ByBatchNormScale && producers.FirstOrNull(p => NormAfter(kinds, graph, p) is null) is { } bare)
            return (bare, PruningRules.FilterWithoutBatchNorm(layers[bare]));
        return null;
    }

    /// <summary>The first of <paramref name="items"/> that <paramref name="match"/>es, or null (<c>FirstOrDefault</c>'s
    /// default of 0 is an index).</summary>
    private static int? FirstOrNull(this IEnumerable<int> items, Func<int, bool> match)
    {
        foreach (var item in items)
        {
            if (match(item)) return item;
        }
        return null;
    }

    /// <summary>The sets of layers whose outputs carry the same channels (union-find over the graph), and each layer's
    /// width: how many of its output channels (features) one channel of its set's producers makes.</summary>
    private sealed class ChannelSets
    {
        private readonly IReadOnlyList<ChannelLayer> _layers;
        private readonly int[] _parent;
        private readonly int[] _width;
        private readonly int _input;

        public LayerGraph Graph { get; }

        public ChannelSets(IReadOnlyList<ChannelLayer> layers, LayerGraph graph)
        {
            _layers = layers;
            Graph = graph;
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
                        _width[i] = _width[input] * layer.InputShape.Skip(1).Aggregate(1, (product, d) => product * d);
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

        /// <summary>The first Add of the set whose sum holds the channels of both <paramref name="a"/> and
        /// <paramref name="b"/> (producers, or <see cref="LayerGraph.ModelInput"/>): the one that joins them.</summary>
        public int JoinOf(List<int> members, int a, int b)
        {
            // Which producers' channels reach each member, following the set's own connections in order.
            var reach = new Dictionary<int, HashSet<int>> { [LayerGraph.ModelInput] = [LayerGraph.ModelInput] };
            foreach (var member in members)
            {
                var flow = ChannelFlows.Of(_layers[member].Kind);
                IReadOnlyList<int> sources = flow == ChannelFlow.Mixes ? [] : flow == ChannelFlow.Joins ? Graph.InputsOf(member) : [Graph.InputOf(member)];
                reach[member] = flow == ChannelFlow.Mixes ? [member] : [.. sources.Where(reach.ContainsKey).SelectMany(s => reach[s])];
                if (flow == ChannelFlow.Joins && reach[member].Contains(a) && reach[member].Contains(b)) return member;
            }
            throw new InvalidOperationException($"No Add joins the channels of layers {a} and {b}, which are in one set.");
        }

        private int Node(int layer) => layer == LayerGraph.ModelInput ? _input : layer;

        private void Union(int a, int b) => _parent[Find(a)] = Find(b);
    }
}
