using Prune.Specs;

namespace Prune.Benchmarks;

/// <summary>The benchmarks' models are declared once, as attributed classes; each benchmark varies only their pruning.</summary>
internal static class BenchmarkModels
{
    /// <summary><paramref name="declared"/> with every layer that has weights pruned with <paramref name="pruning"/> (none when null).</summary>
    public static ModelSpec Pruned(ModelSpec declared, PruningSpec? pruning, TrainingSpec? training = null) => declared with
    {
        Training = training ?? declared.Training,
        Layers = [.. declared.Layers.Select(layer => layer.Weight is null ? layer : layer with { Pruning = pruning })],
    };

    /// <summary><paramref name="declared"/> with every weight layer but the last (the classes) pruned with <paramref name="pruning"/>:
    /// filter pruning removes hidden channels only.</summary>
    public static ModelSpec HiddenPruned(ModelSpec declared, PruningSpec pruning) => declared with
    {
        Layers = [.. declared.Layers.Select((layer, i) => layer.Weight is null || i == declared.Layers.Count - 1 ? layer : layer with { Pruning = pruning })],
    };
}
