namespace Prune.Training;

/// <summary>Mean loss and accuracy over one epoch of training (on the training batches, as they were seen).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean loss per sample.</param>
/// <param name="Accuracy">Fraction of samples classified correctly.</param>
public sealed record EpochSummary(int Epoch, double Loss, double Accuracy);

/// <summary>What a fit did.</summary>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Epochs">One summary per epoch started (the last may be partial when <see cref="FitOptions.MaxSteps"/> stopped it).</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record FitResult(long Steps, IReadOnlyList<EpochSummary> Epochs, TimeSpan Elapsed)
{
    /// <summary>The last epoch's mean training loss.</summary>
    public double FinalLoss => Epochs.Count == 0 ? double.NaN : Epochs[^1].Loss;
}

/// <summary>Loss and accuracy of a model on a dataset, in evaluation mode.</summary>
/// <param name="Loss">Mean loss per sample.</param>
/// <param name="Accuracy">Fraction classified correctly: argmax, or output &gt; 0.5 for a one-unit sigmoid.</param>
/// <param name="Count">Samples evaluated.</param>
public sealed record Evaluation(double Loss, double Accuracy, long Count);

/// <summary>A snapshot of a running fit, for progress displays.</summary>
/// <param name="Epoch">1-based current epoch.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Step">Steps done so far.</param>
/// <param name="Steps">Steps planned.</param>
/// <param name="Loss">Mean training loss in the current epoch so far.</param>
/// <param name="Accuracy">Training accuracy in the current epoch so far.</param>
/// <param name="Sparsity">Current sparsity when pruning, else null.</param>
/// <param name="Elapsed">Time since the fit started.</param>
/// <param name="Remaining">Estimated time to the end, from the pace so far.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, long Step, long Steps, double Loss, double Accuracy, double? Sparsity,
    TimeSpan Elapsed, TimeSpan Remaining);
