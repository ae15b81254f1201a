using System.Diagnostics;
using System.Globalization;
using Prune.Export;
using Prune.Pipeline;
using static TorchSharp.torch;

namespace Prune.Sweep;

/// <summary>
/// How far can a model be pruned before it hurts? Trains (or reuses the cached) baseline once, then for each target
/// prunes a copy of it while fine-tuning, with the model's own schedule shape and pattern aimed at the target
/// (<see cref="SweepTargets"/>), exports it, and measures it on every test sample in TorchSharp and LiteRT. A point that
/// fails (diverges, say) is recorded as failed and the sweep goes on; Ctrl+C stops it between steps, keeping the
/// points finished. The files of each point, and the sweep's four files (<see cref="SweepReport"/>), are in the output
/// folder as soon as the point is done.
/// </summary>
internal static class SparsitySweep
{
    /// <summary>Runs the sweep; <see cref="PipelineRequest.OutputDirectory"/> is the sweep's folder.</summary>
    /// <exception cref="PipelineException">A failure before any point: the data, the baseline, an unwritable folder.</exception>
    /// <exception cref="ArgumentException">The targets are unusable, or the model has nothing to sweep.</exception>
    public static SweepSummary Run(PipelineRequest request, IReadOnlyList<double> targets, ISweepLog log, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var spec = request.Spec;
        targets = SweepTargets.Check(targets);
        var specs = targets.Select(t => SweepTargets.At(spec, t)).ToList();
        OutputFolder.CheckWritable(request.OutputDirectory, spec.Name);
        using var data = ModelData.Load(request, log);
        var training = EffectiveTraining.For(request);

        var (baselineModel, baseline) = TrainedBaseline.Prepare(request, data, training, new PointLog(log, 0, targets.Count, null), cancellation);
        using var _ = baselineModel;
        log.Status(new SweepStatus(0, targets.Count, null, "done", 1, 1));
        log.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Name}: one baseline for all {targets.Count} targets, {(baseline.FromCache ? "loaded from the cache" : "trained now")} ({baseline.Accuracy:P2})"));
        var summary = new SweepSummary
        {
            Model = spec.Name,
            Data = data.Description,
            BaselineAccuracy = baseline.Accuracy,
            BaselineFromCache = baseline.FromCache,
            BaselineFile = FileSize.Of("baseline, float", ExportedFiles.Baseline(baselineModel)),
            Targets = targets,
            Points = [],
        };
        // Measured, not checked: every file runs on all test samples, and the sweep never writes ONNX. The points' scratch
        // files go in a folder of their own: the baselines' folder is the build's, and a build may run beside the sweep.
        var pointRequest = request with { VerifyWithLiteRt = true, Onnx = false, WorkDirectory = Path.Combine(request.WorkDirectory, "sweep") };
        for (var i = 0; i < targets.Count; i++)
        {
            SweepPoint point;
            try
            {
                point = RunPoint(baselineModel, pointRequest with { Spec = specs[i] }, targets[i], data, training, new PointLog(log, i + 1, targets.Count, targets[i]), cancellation);
            }
            catch (OperationCanceledException)
            {
                log.Progress($"{spec.Name}: stopped after {summary.Points.Count} of {targets.Count} targets; kept them in {request.OutputDirectory}");
                summary = summary with { Stopped = true };
                SweepReport.Write(request.OutputDirectory, summary, request.Charts);
                return summary;
            }
            summary = summary with { Points = [.. summary.Points, point] };
            SweepReport.Write(request.OutputDirectory, summary, request.Charts);
            log.Finished(point);
        }
        return summary;
    }

    private static SweepPoint RunPoint(Model baseline, PipelineRequest request, double target, ModelData data, Specs.TrainingSpec training,
        PointLog log, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        log.Progress($"{request.Spec.Name}: pruning to {target.ToString("P0", CultureInfo.InvariantCulture)}, target {log.Point} of {log.Points}");
        try
        {
            using var model = Model.FromSpec(request.Spec);
            CopyWeights(baseline, model);
            var outcome = PruningRun.Run(model, data, training, request, log, cancellation, floatSamples: int.MaxValue);
            var name = $"{request.Spec.Name}.sparsity-{(target * 100).ToString("0.##", CultureInfo.InvariantCulture)}";
            var files = new List<string> { $"{name}.tflite" };
            AtomicFile.Write(Path.Combine(request.OutputDirectory, files[0]), outcome.Files.Float);
            if (outcome.Files.Int8 is { } int8)
            {
                files.Add($"{name}.int8.tflite");
                AtomicFile.Write(Path.Combine(request.OutputDirectory, files[1]), int8);
            }
            var costs = OperatorCosts.Of(TfLiteReader.Read(outcome.Files.Float));
            var verification = outcome.Verification;
            return new SweepPoint
            {
                Target = target,
                Sparsity = outcome.Sparsity.OverallSparsity(),
                TorchSharpAccuracy = outcome.Pruned.Accuracy,
                LiteRtAccuracy = verification.Ran ? verification.FloatAccuracy : null,
                Int8Accuracy = verification.Int8Samples > 0 ? verification.Int8Accuracy : null,
                FloatFile = FileSize.Of("pruned, float", outcome.Files.Float),
                Int8File = outcome.Files.Int8 is { } bytes ? FileSize.Of(FileSizes.Int8, bytes) : null,
                FloatLatency = verification.FloatLatency,
                Int8Latency = verification.Int8Latency,
                MultiplyAccumulates = costs.Sum(c => c.MultiplyAccumulates),
                NonzeroMultiplyAccumulates = costs.Sum(c => c.NonzeroMultiplyAccumulates),
                Files = files,
                Seconds = clock.Elapsed.TotalSeconds,
            };
        }
        catch (PipelineException e)
        {
            log.Progress($"{request.Spec.Name}: the target {target.ToString("P0", CultureInfo.InvariantCulture)} failed: {e.Message}");
            return new SweepPoint { Target = target, Failure = e.Message, Seconds = clock.Elapsed.TotalSeconds };
        }
    }

    /// <summary>Starts <paramref name="model"/> from the baseline's weights (and BatchNorm statistics).</summary>
    private static void CopyWeights(Model baseline, Model model)
    {
        using var noGrad = no_grad();
        var source = baseline.state_dict();
        foreach (var (name, tensor) in model.state_dict()) tensor.copy_(source[name]);
    }

    /// <summary>The sweep's log as one point sees it: its messages prefixed with its target, its steps as statuses.</summary>
    private sealed class PointLog(ISweepLog log, int point, int points, double? target) : ISweepLog
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
        private readonly Stopwatch _sinceStatus = Stopwatch.StartNew();

        public int Point => point;

        public int Points => points;

        public void Progress(string message) => log.Progress(Prefixed(message));

        public void Info(string message) => log.Info(Prefixed(message));

        public void Warning(PipelineWarning warning, string message, Specs.SourceLocation? source = null) => log.Warning(warning, Prefixed(message), source);

        public void Step(Training.TrainingProgress progress)
        {
            var last = progress.Step >= progress.Steps;
            if (!last && _sinceStatus.Elapsed < Interval) return;
            _sinceStatus.Restart();
            Status(new SweepStatus(point, points, target, point == 0 ? "training" : "fine-tuning", progress.Step, progress.Steps));
            if (last && point > 0) Status(new SweepStatus(point, points, target, "measuring", 0, 0));
        }

        public void Status(SweepStatus status) => log.Status(status);

        public void Finished(SweepPoint finished) => log.Finished(finished);

        private string Prefixed(string message) =>
            target is { } t ? $"[{t.ToString("P0", CultureInfo.InvariantCulture)}] {message}" : message;
    }
}
