namespace Prune;

/// <summary>
/// How a model is trained: first a baseline, then fine-tuning while it is pruned. Every setting has a
/// default, so the attribute is optional.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TrainingAttribute : Attribute
{
    /// <summary>The optimizer for both phases.</summary>
    public Optimizer Optimizer { get; set; } = Optimizer.Adam;

    /// <summary>Learning rate of the baseline training.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Learning rate while pruning; by default a tenth of <see cref="LearningRate"/>.</summary>
    public double FineTuneLearningRate { get; set; } = double.NaN;

    /// <summary>Momentum, for <see cref="Optimizer.Sgd"/>.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Samples per step.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Passes over the training data for the baseline.</summary>
    public int Epochs { get; set; } = 2;

    /// <summary>Passes over the training data while pruning.</summary>
    public int FineTuneEpochs { get; set; } = 2;

    /// <summary>Seed for initialization, shuffling and dropout: the same seed gives the same model.</summary>
    public int Seed { get; set; } = 42;
}
