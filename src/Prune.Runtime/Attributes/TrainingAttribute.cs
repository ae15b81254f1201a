using Prune.Specs.Rules;

namespace Prune;

/// <summary>
/// How a model is trained: first a baseline, then fine-tuning while it is pruned. Every setting has a
/// default, so the attribute is optional.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TrainingAttribute : Attribute
{
    /// <summary>The optimizer for both phases.</summary>
    public Optimizer Optimizer { get; set; } = Enum.Parse<Optimizer>(TrainingRules.Optimizer);

    /// <summary>Learning rate of the baseline training.</summary>
    public double LearningRate { get; set; } = TrainingRules.LearningRate;

    /// <summary>Learning rate while pruning; by default a tenth of <see cref="LearningRate"/>.</summary>
    public double FineTuneLearningRate { get; set; } = double.NaN;

    /// <summary>Momentum, for <see cref="Optimizer.Sgd"/>.</summary>
    public double Momentum { get; set; } = TrainingRules.Momentum;

    /// <summary>Samples per step.</summary>
    public int BatchSize { get; set; } = TrainingRules.BatchSize;

    /// <summary>Passes over the training data for the baseline.</summary>
    public int Epochs { get; set; } = TrainingRules.Epochs;

    /// <summary>Passes over the training data while pruning.</summary>
    public int FineTuneEpochs { get; set; } = TrainingRules.FineTuneEpochs;

    /// <summary>Seed for initialization, shuffling and dropout: the same seed gives the same model.</summary>
    public int Seed { get; set; } = TrainingRules.Seed;
}
