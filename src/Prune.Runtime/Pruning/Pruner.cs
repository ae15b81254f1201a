using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// Prunes a model's <see cref="Model.PrunedLayers"/> by magnitude while it trains, as tfmot's
/// <c>PruneLowMagnitude</c> with <c>UpdatePruningStep</c> does: every pruned layer starts with an all-ones mask
/// (the <c>weight_mask</c> buffer); before a step on which its schedule updates, the mask is recomputed from the
/// current weights and applied; after every optimizer step the weights are multiplied by their masks, so pruned
/// weights stay exactly zero. Pass it to <see cref="Trainer.Fit"/> as the hooks; steps count from 0.
/// <para>
/// Filter pruning masks whole output channels, and what depends on them (<see cref="ChannelDependencies"/>): the
/// filter's bias, the γ and β of a BatchNorm after it, and the weights of the next Conv2D or Dense that read the channel.
/// The last is what makes the masked model compute exactly what the shrunk one will (<see cref="Strip"/>): a zeroed
/// channel is not zero everywhere after it (a BatchNorm adds its running mean's offset, a sigmoid makes 0.5, SAME padding
/// borders differ), but the consumer no longer reads it. A removed channel's filter and γ stay zero, so it ranks last
/// and stays removed.
/// </para>
/// </summary>
internal sealed class Pruner : ITrainingHooks, IReportsSparsity
{
    private readonly WeightLayer[] _layers;
    private readonly FilterMasks _filters;
    // Per pruned layer, the order export writes its columns in (null: TorchSharp's): blocks are cut in that order.
    private readonly Dictionary<WeightLayer, long[]?> _exportColumns = [];

    /// <summary>Attaches all-ones masks to the pruned layers (whose patterns fit their weights: the model checked its spec when it was built).</summary>
    public Pruner(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _layers = model.PrunedLayers.ToArray();
        _filters = new FilterMasks(model);
        foreach (var layer in _layers.Concat(_filters.Consumers).Distinct())
        {
            _exportColumns[layer] = ExportColumnOrder.Of(model.Spec, model.Layers.ToList().IndexOf(layer));
            // The layer owns its mask: it must outlive any dispose scope the caller has open.
            layer.AttachMask(ones_like(layer.Weight, requires_grad: false).DetachFromDisposeScope());
        }
        CurrentSparsity = 0;
    }

    /// <summary>The layers being pruned.</summary>
    public IReadOnlyList<WeightLayer> Layers => _layers;

    /// <summary>The fraction of pruned layers' weights masked out by the current masks.</summary>
    public double CurrentSparsity { get; private set; }

    /// <summary>The step of the latest mask update, or null before the first.</summary>
    public long? LastUpdateStep { get; private set; }

    /// <summary>Recomputes the masks of the layers whose schedule updates at <paramref name="step"/>, and applies them.</summary>
    public void BeforeStep(long step)
    {
        var updated = false;
        using var noGrad = no_grad();
        foreach (var layer in _layers)
        {
            var spec = layer.Spec.Pruning!;
            var decision = spec.Schedule.At(step);
            if (!decision.UpdateMask) continue;
            _ = MaskOf(layer);
            var mask = spec.Filter is not null
                ? _filters.Update(layer, decision.Sparsity, step)
                : MaskCalculator.Magnitude(layer.Weight, decision.Sparsity, spec, layer.Spec.Name, _exportColumns[layer]).DetachFromDisposeScope();
            layer.AttachMask(mask);
            layer.Weight.mul_(mask);
            updated = true;
        }
        if (!updated) return;
        _filters.Apply();
        LastUpdateStep = step;
        CurrentSparsity = MaskedFraction();
    }

    /// <summary>Zeroes the pruned weights again after the optimizer moved them.</summary>
    public void AfterOptimizerStep(long step)
    {
        using var noGrad = no_grad();
        foreach (var layer in _layers) layer.Weight.mul_(MaskOf(layer));
        _filters.Apply();
    }

    private static Tensor MaskOf(WeightLayer layer) => layer.WeightMask
        ?? throw new InvalidOperationException($"Layer {layer.Spec.Name} has no pruning mask: the model was stripped. Create a new Pruner to prune it again.");

    private double MaskedFraction()
    {
        long zeros = 0, total = 0;
        foreach (var layer in _layers)
        {
            using var masked = layer.WeightMask!.eq(0);
            using var count = masked.sum();
            zeros += count.item<long>();
            total += layer.WeightMask.numel();
        }
        return total == 0 ? 0 : (double)zeros / total;
    }
}
