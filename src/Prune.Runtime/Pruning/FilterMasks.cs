using Prune.Layers;
using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// The channel masks of a model's filter-pruned layers while it fine-tunes: which output channels each keeps, and the
/// masking of what depends on them (the layer's bias, a following BatchNorm's γ and β, the consumer's weights that
/// read them). The <see cref="Pruner"/> owns one.
/// </summary>
internal sealed class FilterMasks
{
    private readonly Model _model;
    private readonly Dictionary<WeightLayer, Group> _groups = [];

    public FilterMasks(Model model)
    {
        _model = model;
        foreach (var group in ChannelDependencies.Of(model.Spec))
            _groups[(WeightLayer)model.Layers[group.Producer]] = new Group(group);
    }

    /// <summary>The layers whose inputs shrink: they are masked even when they are not pruned themselves.</summary>
    public IEnumerable<WeightLayer> Consumers => _groups.Values.Select(g => (WeightLayer)_model.Layers[g.Dependencies.Consumer.Layer]);

    /// <summary>Ranks <paramref name="layer"/>'s channels and keeps tfmot's count at <paramref name="sparsity"/>; returns
    /// its weight mask (whole rows). <see cref="Apply"/> then masks what depends on the channels.</summary>
    public Tensor Update(WeightLayer layer, double sparsity)
    {
        var group = _groups[layer];
        var scale = group.Dependencies.Followers.Select(f => _model.Layers[f.Layer]).OfType<BatchNormLayer>().FirstOrDefault()?.Scale;
        using var channels = MaskCalculator.Filters(layer.Weight, sparsity, layer.Spec.Pruning!.Filter!.Value, scale);
        group.Kept?.Dispose();
        group.Kept = channels.clone().DetachFromDisposeScope();
        var consumer = (WeightLayer)_model.Layers[group.Dependencies.Consumer.Layer];
        group.ConsumerColumns?.Dispose();
        group.ConsumerColumns = ColumnsMask(consumer.Weight, group.Kept, group.Dependencies.Consumer.Width).DetachFromDisposeScope();
        return RowsMask(layer.Weight, group.Kept).DetachFromDisposeScope();
    }

    /// <summary>Zeroes, for every removed channel, the bias, the following BatchNorms' γ and β, and the consumer's weights
    /// that read it (also in the consumer's mask, so the consumer's own pruning cannot bring them back).</summary>
    public void Apply()
    {
        using var noGrad = no_grad();
        foreach (var (layer, group) in _groups)
        {
            if (group.Kept is not { } kept) continue;
            layer.Bias?.mul_(kept);
            foreach (var follower in group.Dependencies.Followers)
            {
                if (_model.Layers[follower.Layer] is not BatchNormLayer norm) continue;
                using var channels = Expanded(kept, follower.Width);
                norm.Scale.mul_(channels);
                norm.Offset.mul_(channels);
            }
            var consumer = (WeightLayer)_model.Layers[group.Dependencies.Consumer.Layer];
            consumer.WeightMask!.mul_(group.ConsumerColumns!);
            consumer.Weight.mul_(group.ConsumerColumns!);
        }
    }

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

    private sealed class Group(ChannelGroup dependencies)
    {
        public ChannelGroup Dependencies { get; } = dependencies;
        public Tensor? Kept { get; set; }
        public Tensor? ConsumerColumns { get; set; }
    }
}
