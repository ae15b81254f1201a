using Prune.Specs;

namespace Prune.Training;

/// <summary>How <see cref="Trainer.Fit"/> trains: optimizer, learning rate, batches, epochs and seed.</summary>
public sealed record FitOptions
{
    /// <summary>Adam (PyTorch's default betas and epsilon) or SGD with <see cref="Momentum"/>.</summary>
    public Optimizer Optimizer { get; init; } = Optimizer.Adam;

    /// <summary>Step size.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>SGD momentum (ignored by Adam).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Samples per step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Seeds TorchSharp (initialization, dropout) and the shuffling of samples.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Stops after this many steps, even within an epoch; null for no limit.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>The baseline-training options a model declares.</summary>
    public static FitOptions Baseline(TrainingSpec training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return new FitOptions
        {
            Optimizer = training.Optimizer,
            LearningRate = training.LearningRate,
            Momentum = training.Momentum,
            BatchSize = training.BatchSize,
            Epochs = training.Epochs,
            Seed = training.Seed,
        };
    }

    /// <summary>The fine-tuning (pruning) options a model declares: its fine-tuning learning rate and epochs.</summary>
    public static FitOptions FineTune(TrainingSpec training) =>
        Baseline(training) with { LearningRate = training.FineTuneLearningRate, Epochs = training.FineTuneEpochs };

    internal void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be 1 or more.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be 1 or more.");
        if (MaxSteps is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MaxSteps must be 1 or more, or null.");
        if (Momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
    }
}
