using Prune.Pruning;

namespace Prune.Specs;

/// <summary>
/// A model as declared and checked at compile time: the generator writes one per <see cref="ModelAttribute"/>
/// class, as the static <c>Definition</c> property of the generated module.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>The class name, e.g. <c>MnistCnn</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The namespace-qualified class name.</summary>
    public required string TypeName { get; init; }

    /// <summary>The shape of one input sample.</summary>
    public required TensorShape InputShape { get; init; }

    /// <summary>The layers, in the order they run.</summary>
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>How the model is trained and fine-tuned.</summary>
    public required TrainingSpec Training { get; init; }

    /// <summary>Where the class is declared.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>The shape of one output sample.</summary>
    public TensorShape OutputShape => Layers[^1].OutputShape;

    /// <summary>Trainable parameters of all layers.</summary>
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>Whether the last layer outputs logits (no activation) rather than probabilities: consumers apply the
    /// softmax, or the sigmoid for a single logit.</summary>
    internal bool OutputsLogits => Layers[^1] is DenseSpec { Activation: Activation.None } or Conv2DSpec { Activation: Activation.None };

    /// <summary>The layers whose weights are pruned.</summary>
    public IEnumerable<LayerSpec> PrunedLayers => Layers.Where(l => l.Pruning is not null);
}

/// <summary>How a layer's weights are pruned: when and how much (the schedule), and in what pattern.</summary>
/// <param name="Schedule">When masks update and to what sparsity.</param>
public sealed record PruningSpec(PruningSchedule Schedule)
{
    /// <summary>Prune whole blocks of this shape of the [outputs, inputs] weight matrix; null for single weights.</summary>
    public Size2D? Block { get; init; }

    /// <summary>How a block is scored.</summary>
    public BlockPooling BlockPooling { get; init; } = BlockPooling.Average;

    /// <summary>Keep m of every n consecutive weights along the input dimension; null for none.</summary>
    public MByN? MByN { get; init; }
}

/// <summary>m:n structured sparsity: m weights kept in every group of n.</summary>
/// <param name="M">Kept per group.</param>
/// <param name="N">Group size.</param>
public readonly record struct MByN(int M, int N)
{
    /// <summary>The fraction of weights the pattern zeroes: 1 − m/n, whatever the schedule's target.</summary>
    public double Sparsity => 1 - ((double)M / N);

    /// <summary>As written in reports: <c>2:4</c>.</summary>
    public override string ToString() => $"{M}:{N}";
}

/// <summary>Training settings, as declared with <see cref="TrainingAttribute"/> or their defaults.</summary>
public sealed record TrainingSpec
{
    /// <summary>The optimizer for both phases.</summary>
    public Optimizer Optimizer { get; init; } = Optimizer.Adam;
    /// <summary>Baseline learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Fine-tuning learning rate.</summary>
    public double FineTuneLearningRate { get; init; } = 1e-4;
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Samples per step.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Baseline epochs.</summary>
    public int Epochs { get; init; } = 2;
    /// <summary>Fine-tuning epochs.</summary>
    public int FineTuneEpochs { get; init; } = 2;
    /// <summary>Seed for initialization, shuffling and dropout.</summary>
    public int Seed { get; init; } = 42;
}
