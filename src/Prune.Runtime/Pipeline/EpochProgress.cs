using System.Globalization;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>Passes one line per finished epoch to the log: enough to follow a build, few enough to read.</summary>
internal sealed class EpochProgress(IPipelineLog log, string phase) : IProgress<TrainingProgress>
{
    private int _lastEpochReported;

    public void Report(TrainingProgress value)
    {
        var epochDone = value.Step >= value.Steps;
        if (!epochDone || value.Epoch <= _lastEpochReported) return;
        _lastEpochReported = value.Epoch;
        var sparsity = value.Sparsity is double s ? string.Create(CultureInfo.InvariantCulture, $", sparsity {s:P1}") : "";
        log.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{phase}: epoch {value.Epoch}/{value.Epochs}, loss {value.Loss:F4}, accuracy {value.Accuracy:P2}{sparsity} ({value.Elapsed.TotalSeconds:F0} s)"));
    }
}
