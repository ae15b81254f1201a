using Prune.Layers;
using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// The channel masks of a model's filter-pruned layers while it fine-tunes: which output channels each
/// <see cref="ChannelGroup"/> keeps (one set for all its producers), and the masking of what depends on them (the
/// producers' biases, the followers' BatchNorm γ and β, the consumers' weights that read them). The <see cref="Pruner"/>
/// owns one.
/// </summary>
internal sealed class FilterMasks
{
    private readonly Model _model;
    private readonly Dictionary<WeightLayer, Group> _groups = [];

    public FilterMasks(Model model)
    {
        _model = model;
        foreach (var dependencies in ChannelDependencies.Of(model.Spec))
        {
            var group = new Group(dependencies);
            foreach (var producer in dependencies.Producers) _groups[(WeightLayer)model.Layers[producer]] = group;
        }
    }

    /// <summary>The layers whose inputs shrink: they are masked even when they are not pruned themselves.</summary>
    public IEnumerable<WeightLayer> Consumers => Groups.SelectMany(g => g.Dependencies.Consumers).Select(c => (WeightLayer)_model.Layers[c.Layer]).Distinct();

    private IEnumerable<Group> Groups => _groups.Values.Distinct();

    /// <summary>
    /// Ranks the channels of <paramref name="layer"/>'s group at step <paramref name="step"/> and keeps tfmot's count at
    /// <paramref name="sparsity"/>; returns the layer's weight mask (whole rows). The group's producers share one
    /// schedule, so the ranking is done once per step, by the sum of every producer's scores. <see cref="Apply"/> then
    /// masks what depends on the channels.
    /// </summary>
    public Tensor Update(WeightLayer layer, double sparsity, long step)
    {
        var group = _groups[layer];
        if (group.Step != step || group.Kept is null)
        {
            using var scope = NewDisposeScope();
            var criterion = layer.Spec.Pruning!.Filter!.Value;
            var scores = group.Dependencies.Producers.Select(p => Scores(p, criterion)).Aggregate((a, b) => a + b);
            var kept = MaskCalculator.KeepHighest(scores, sparsity, layer.Weight.dtype);
            group.Replace(kept.DetachFromDisposeScope(), step, ConsumersOf(group).Select(c => ColumnsMask(c.Layer.Weight, kept, c.Use.Width).DetachFromDisposeScope()));
        }
        return RowsMask(layer.Weight, group.Kept!).DetachFromDisposeScope();
    }

    /// <summary>Zeroes, for every removed channel, the producers' biases, the following BatchNorms' γ and β, and the
    /// consumers' weights that read it (also in their masks, so a consumer's own pruning cannot bring them back).</summary>
    public void Apply()
    {
        using var noGrad = no_grad();
        foreach (var group in Groups)
        {
            if (group.Kept is not { } kept) continue;
            foreach (var producer in group.Dependencies.Producers) ((WeightLayer)_model.Layers[producer]).Bias?.mul_(kept);
            foreach (var follower in group.Dependencies.Followers)
            {
                if (_model.Layers[follower.Layer] is not BatchNormLayer norm) continue;
                using var channels = Expanded(kept, follower.Width);
                norm.Scale.mul_(channels);
                norm.Offset.mul_(channels);
            }
            foreach (var ((consumer, _), columns) in ConsumersOf(group).Zip(group.ConsumerColumns))
            {
                consumer.WeightMask!.mul_(columns);
                consumer.Weight.mul_(columns);
            }
        }
    }

    /// <summary>How much each output channel of producer <paramref name="producer"/> is worth keeping.</summary>
    private Tensor Scores(int producer, FilterCriterion criterion)
    {
        var weight = ((WeightLayer)_model.Layers[producer]).Weight;
        var scale = criterion == FilterCriterion.BatchNormScale && ChannelDependencies.NormAfter(_model.Spec, producer) is { } norm
            ? ((BatchNormLayer)_model.Layers[norm]).Scale
            : null;
        return MaskCalculator.FilterScores(weight, criterion, scale);
    }

    private IEnumerable<(WeightLayer Layer, ChannelUse Use)> ConsumersOf(Group group) =>
        group.Dependencies.Consumers.Select(c => ((WeightLayer)_model.Layers[c.Layer], c));

    private static Tensor Expanded(Tensor kept, int width) => kept.repeat_interleave(width);

    private static Tensor RowsMask(Tensor weight, Tensor kept) =>
        kept.reshape([kept.shape[0], .. Enumerable.Repeat(1L, (int)weight.dim() - 1)]).expand(weight.shape).contiguous();

    private static Tensor ColumnsMask(Tensor weight, Tensor kept, int width)
    {
        using var columns = Expanded(kept, width);
        var shape = Enumerable.Repeat(1L, (int)weight.dim()).ToArray();
        shape[1] = columns.shape[0];
        return columns.reshape(shape).expand(weight.shape).contiguous();
    }

    /// <summary>A group's current channel mask (1 kept, 0 removed) and its consumers' column masks: each update disposes
    /// the previous ones; the last ones live as long as the pruner (their finalizers free them after it).</summary>
    private sealed class Group(ChannelGroup dependencies)
    {
        public ChannelGroup Dependencies { get; } = dependencies;
        public Tensor? Kept { get; private set; }
        public long Step { get; private set; } = -1;
        public IReadOnlyList<Tensor> ConsumerColumns { get; private set; } = [];

        public void Replace(Tensor kept, long step, IEnumerable<Tensor> consumerColumns)
        {
            Kept?.Dispose();
            foreach (var columns in ConsumerColumns) columns.Dispose();
            Kept = kept;
            Step = step;
            ConsumerColumns = [.. consumerColumns];
        }
    }
}
