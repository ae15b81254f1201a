using System.Globalization;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>
/// Passes one line per finished epoch to the log: enough to follow a build, few enough to read (and every step to
/// <see cref="IPipelineLog.Step"/>, for progress bars). The trainer reports every step; an epoch is finished when the
/// next one starts, or when the last step is done. Long runs of short epochs (tabular data) print every few epochs, so
/// a phase never takes more than <see cref="MaxLines"/> lines.
/// </summary>
internal sealed class EpochProgress(IPipelineLog log, string phase) : IProgress<TrainingProgress>
{
    private const int MaxLines = 5;
    private TrainingProgress? _last;

    public void Report(TrainingProgress value)
    {
        log.Step(value);
        if (_last is { } previous && value.Epoch > previous.Epoch) Write(previous);
        _last = value;
        if (value.Step >= value.Steps) Write(value);
    }

    private void Write(TrainingProgress value)
    {
        var every = (value.Epochs + MaxLines - 1) / MaxLines;
        if (value.Epoch % every != 0 && value.Step < value.Steps) return;
        var sparsity = value.Sparsity is double s ? string.Create(CultureInfo.InvariantCulture, $", sparsity {s:P1}") : "";
        log.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{phase}: epoch {value.Epoch}/{value.Epochs}, loss {value.Loss:F4}, accuracy {value.Accuracy:P2}{sparsity} ({value.Elapsed.TotalSeconds:F0} s)"));
    }
}
