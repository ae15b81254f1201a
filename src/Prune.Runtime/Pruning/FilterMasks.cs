using Prune.Layers;
using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// The channel masks of a model's filter-pruned layers while it fine-tunes: which output channels each keeps, and the
/// masking of what depends on them (the layer's bias, a following BatchNorm's γ and β, the consumer's weights that
/// read them). The <see cref="Pruner"/> owns one. Which channels a layer keeps is read from its own weight mask, which
/// the layer owns (<see cref="Channels"/>), so this class holds no tensor of its own.
/// </summary>
internal sealed class FilterMasks
{
    private readonly Model _model;
    private readonly Dictionary<WeightLayer, ChannelGroup> _groups = [];
    // The layers whose channels were chosen at least once: until then every channel stays and there is nothing to mask.
    private readonly HashSet<WeightLayer> _chosen = [];

    public FilterMasks(Model model)
    {
        _model = model;
        foreach (var group in ChannelDependencies.Of(model.Spec))
            _groups[(WeightLayer)model.Layers[group.Producer]] = group;
    }

    /// <summary>The layers whose inputs shrink: they are masked even when they are not pruned themselves.</summary>
    public IEnumerable<WeightLayer> Consumers => _groups.Values.Select(g => (WeightLayer)_model.Layers[g.Consumer.Layer]);

    /// <summary>Ranks <paramref name="layer"/>'s channels and keeps <see cref="Specs.Rules.PruningRules.KeptChannels"/> of
    /// them at <paramref name="sparsity"/>; returns its weight mask (whole rows), which the caller attaches to the layer.
    /// <see cref="Apply"/> then masks what depends on the channels.</summary>
    public Tensor Update(WeightLayer layer, double sparsity)
    {
        var group = _groups[layer];
        using var scope = NewDisposeScope();
        var scale = group.Followers.Select(f => _model.Layers[f.Layer]).OfType<BatchNormLayer>().FirstOrDefault()?.Scale;
        var channels = MaskCalculator.Filters(layer.Weight, sparsity, layer.Spec.Pruning!.Filter!.Value, scale);
        _chosen.Add(layer);
        var shape = Enumerable.Repeat(1L, (int)layer.Weight.dim()).ToArray();
        shape[0] = channels.shape[0];
        return channels.reshape(shape).expand(layer.Weight.shape).contiguous().DetachFromDisposeScope();
    }

    /// <summary>Zeroes, for every removed channel, the bias, the following BatchNorms' γ and β, and the consumer's weights
    /// that read it (also in the consumer's mask, so the consumer's own pruning cannot bring them back).</summary>
    public void Apply()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var layer in _chosen)
        {
            var group = _groups[layer];
            var kept = Channels(layer.WeightMask!);
            layer.Bias?.mul_(kept);
            foreach (var follower in group.Followers)
            {
                if (_model.Layers[follower.Layer] is not BatchNormLayer norm) continue;
                var channels = kept.repeat_interleave(follower.Width);
                norm.Scale.mul_(channels);
                norm.Offset.mul_(channels);
            }
            // The consumer's inputs lie on its weight's dimension 1: [1, inputs, 1, 1] broadcasts over the rest.
            var consumer = (WeightLayer)_model.Layers[group.Consumer.Layer];
            var shape = Enumerable.Repeat(1L, (int)consumer.Weight.dim()).ToArray();
            shape[1] = -1;
            var columns = kept.repeat_interleave(group.Consumer.Width).reshape(shape);
            consumer.WeightMask!.mul_(columns);
            consumer.Weight.mul_(columns);
        }
    }

    /// <summary>1 for each output channel of a filter-pruned layer whose mask row is not all zero (a kept channel), else 0.</summary>
    public static Tensor Channels(Tensor mask) => mask.flatten(1).amax(1);
}
