using Prune.Specs;

namespace Prune.Benchmarks.Engine;

/// <summary>
/// The CNN the MNIST benchmarks measure, declared as a user declares a model (the generator infers its shapes):
/// Conv2D(32, 3x3, relu), MaxPool(2), Conv2D(64, 3x3, relu), MaxPool(2), Flatten, Dense(128, relu), Dense(10) logits.
/// </summary>
[Model(1, 28, 28)]
internal sealed partial class SeedCnn
{
    [Conv2D(32, 3, activation: Activation.Relu)] private readonly Layer conv1;
    [MaxPool2D(2)] private readonly Layer pool1;
    [Conv2D(64, 3, activation: Activation.Relu)] private readonly Layer conv2;
    [MaxPool2D(2)] private readonly Layer pool2;
    [Flatten] private readonly Layer flatten;
    [Dense(128, activation: Activation.Relu)] private readonly Layer dense1;
    [Dense(10)] private readonly Layer logits;

    /// <summary>The declared spec with every weight layer pruned with <paramref name="pruning"/> when it is given.</summary>
    public static ModelSpec Pruned(PruningSpec? pruning, TrainingSpec? training = null) => BenchmarkModels.Pruned(ModelSpec, pruning, training);

    /// <summary>The declared spec with every hidden weight layer (all but the logits) pruned with <paramref name="pruning"/>.</summary>
    public static ModelSpec FilterPruned(PruningSpec pruning) => BenchmarkModels.HiddenPruned(ModelSpec, pruning);
}
