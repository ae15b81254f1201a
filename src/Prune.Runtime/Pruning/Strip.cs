using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>tfmot's <c>strip_pruning</c>: bakes every mask into its weight and removes the <c>weight_mask</c> buffers.</summary>
internal static class Strip
{
    /// <summary>Leaves <paramref name="model"/> a plain module whose pruned weights hold exact zeros and which has no pruning state.</summary>
    public static void Apply(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        foreach (var layer in model.Layers.OfType<WeightLayer>())
        {
            if (layer.WeightMask is not { } mask) continue;
            layer.Weight.mul_(mask);
            layer.DetachMask();
        }
    }
}
