using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>Training settings, as declared with <see cref="TrainingAttribute"/> or their defaults.</summary>
public sealed record TrainingSpec
{
    /// <summary>The optimizer for both phases.</summary>
    public Optimizer Optimizer { get; init; } = Enum.Parse<Optimizer>(TrainingRules.Optimizer);
    /// <summary>Baseline learning rate.</summary>
    public double LearningRate { get; init; } = TrainingRules.LearningRate;
    /// <summary>Fine-tuning learning rate.</summary>
    public double FineTuneLearningRate { get; init; } = TrainingRules.FineTuneLearningRate(TrainingRules.LearningRate);
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = TrainingRules.Momentum;
    /// <summary>Samples per step.</summary>
    public int BatchSize { get; init; } = TrainingRules.BatchSize;
    /// <summary>Baseline epochs.</summary>
    public int Epochs { get; init; } = TrainingRules.Epochs;
    /// <summary>Fine-tuning epochs.</summary>
    public int FineTuneEpochs { get; init; } = TrainingRules.FineTuneEpochs;
    /// <summary>Seed for initialization, shuffling and dropout.</summary>
    public int Seed { get; init; } = TrainingRules.Seed;
}
