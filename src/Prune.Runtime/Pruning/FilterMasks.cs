using Prune.Layers;
using Prune.Specs.Rules;
using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// The channel masks of a model's filter-pruned layers while it fine-tunes: which output channels each
/// <see cref="ChannelGroup"/> keeps (one set for all its producers), and the masking of what depends on them (the
/// producers' biases, the followers' BatchNorm γ and β, the consumers' weights that read them). The <see cref="Pruner"/>
/// owns one. Which channels a group keeps is read from its producers' weight masks, which the layers own
/// (<see cref="Channels"/>), so this class holds no tensor of its own: nothing is left for a finalizer to free.
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
    /// Ranks the channels of <paramref name="layer"/>'s group at step <paramref name="step"/> and keeps
    /// <see cref="Specs.Rules.PruningRules.KeptChannels"/> of them at <paramref name="sparsity"/>; returns the layer's
    /// weight mask (whole rows), which the caller attaches to it. The group's producers share one schedule, so the
    /// ranking is done once per step, by the sum of every producer's scores; the producers after the first take its
    /// channels from its mask. <see cref="Apply"/> then masks what depends on the channels.
    /// </summary>
    public Tensor Update(WeightLayer layer, double sparsity, long step)
    {
        var group = _groups[layer];
        using var scope = NewDisposeScope();
        Tensor kept;
        if (group.Step != step || group.RankedBy is null)
        {
            var criterion = layer.Spec.Pruning!.Filter!.Value;
            var scores = group.Dependencies.Producers.Select(p => Scores(p, criterion)).Aggregate((a, b) => a + b);
            kept = MaskCalculator.KeepHighest(scores, sparsity, layer.Weight.dtype);
            group.Ranked(layer, step);
        }
        else
        {
            kept = Channels(group.RankedBy.WeightMask!);
        }
        return kept.reshape([kept.shape[0], .. Enumerable.Repeat(1L, (int)layer.Weight.dim() - 1)])
            .expand(layer.Weight.shape).contiguous().DetachFromDisposeScope();
    }

    /// <summary>Zeroes, for every removed channel, the producers' biases, the following BatchNorms' γ and β, and the
    /// consumers' weights that read it (also in their masks, so a consumer's own pruning cannot bring them back).</summary>
    public void Apply()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var group in Groups)
        {
            if (group.RankedBy is not { } ranked) continue;
            var kept = Channels(ranked.WeightMask!);
            foreach (var producer in group.Dependencies.Producers) ((WeightLayer)_model.Layers[producer]).Bias?.mul_(kept);
            foreach (var follower in group.Dependencies.Followers)
            {
                if (_model.Layers[follower.Layer] is not BatchNormLayer norm) continue;
                var channels = kept.repeat_interleave(follower.Width);
                norm.Scale.mul_(channels);
                norm.Offset.mul_(channels);
            }
            foreach (var use in group.Dependencies.Consumers)
            {
                // A consumer's inputs lie on its weight's dimension 1: [1, inputs, 1, 1] broadcasts over the rest.
                var consumer = (WeightLayer)_model.Layers[use.Layer];
                var shape = Enumerable.Repeat(1L, (int)consumer.Weight.dim()).ToArray();
                shape[1] = -1;
                var columns = kept.repeat_interleave(use.Width).reshape(shape);
                consumer.WeightMask!.mul_(columns);
                consumer.Weight.mul_(columns);
            }
        }
    }

    /// <summary>1 for each output channel of a filter-pruned layer whose mask row is not all zero (a kept channel), else 0.
    /// A producer that also consumes another group's channels has zero columns in its kept rows, never a zero row.</summary>
    public static Tensor Channels(Tensor mask) => mask.flatten(1).amax(1);

    /// <summary>How much each output channel of producer <paramref name="producer"/> is worth keeping.</summary>
    private Tensor Scores(int producer, FilterCriterion criterion)
    {
        var weight = ((WeightLayer)_model.Layers[producer]).Weight;
        var scale = criterion == FilterCriterion.BatchNormScale && ChannelDependencies.NormAfter(_model.Spec, _model.Graph, producer) is { } norm
            ? ((BatchNormLayer)_model.Layers[norm]).Scale
            : null;
        return MaskCalculator.FilterScores(weight, criterion, scale);
    }

    /// <summary>A group and the latest ranking of its channels: the step and the producer whose mask holds them.</summary>
    private sealed class Group(ChannelGroup dependencies)
    {
        public ChannelGroup Dependencies { get; } = dependencies;
        public WeightLayer? RankedBy { get; private set; }
        public long Step { get; private set; } = -1;

        public void Ranked(WeightLayer layer, long step) => (RankedBy, Step) = (layer, step);
    }
}
