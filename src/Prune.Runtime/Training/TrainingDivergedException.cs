namespace Prune.Training;

/// <summary>The model's outputs or loss stopped being finite numbers: training diverged (usually a learning rate too high).</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step where it was noticed.</summary>
    public TrainingDivergedException(long step, string what)
        : base($"Training diverged at step {step}: {what}.")
    {
        Step = step;
    }

    /// <summary>The optimizer step (from 0) where the outputs or the loss stopped being finite.</summary>
    public long Step { get; }
}
