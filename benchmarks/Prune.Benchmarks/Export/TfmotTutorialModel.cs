using Prune.Specs;

namespace Prune.Benchmarks.Export;

/// <summary>
/// The model of tfmot's pruning tutorial ("Pruning in Keras example"): Conv2D(12, 3x3, relu), MaxPool(2), Flatten,
/// Dense(10) logits, on 28x28 MNIST (its Reshape to 28x28x1 is our [1, 28, 28] input).
/// </summary>
[Model(1, 28, 28)]
internal sealed partial class TfmotTutorialModel
{
    [Conv2D(12, 3, activation: Activation.Relu)] private readonly Layer conv;
    [MaxPool2D(2)] private readonly Layer pool;
    [Flatten] private readonly Layer flatten;
    [Dense(10)] private readonly Layer logits;

    /// <summary>The declared spec with every weight layer pruned with <paramref name="pruning"/> when it is given.</summary>
    public static ModelSpec Pruned(PruningSpec? pruning) => BenchmarkModels.Pruned(ModelSpec, pruning);
}
