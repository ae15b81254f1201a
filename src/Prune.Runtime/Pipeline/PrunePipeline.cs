using System.Diagnostics;
using Prune.Export;
using Prune.Pruning;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>
/// The whole of Prune for one model, top to bottom: load the data, train the baseline (or reuse the cached one),
/// prune while fine-tuning on the declared schedule, strip the masks, export, check the files in LiteRT, and
/// write the artifacts and the report. Nothing reaches the output folder until everything has succeeded.
/// </summary>
internal static class PrunePipeline
{
    /// <summary>Runs the pipeline; returns the files written to <see cref="PipelineRequest.OutputDirectory"/>.</summary>
    /// <exception cref="PipelineException">A failure the user can act on (bad data, divergence, an unexportable layer…).</exception>
    public static IReadOnlyList<string> Run(PipelineRequest request, IPipelineLog log, CancellationToken cancellation = default)
    {
        var spec = request.Spec;
        var clock = Stopwatch.StartNew();
        SpecCheck.ThrowIfInvalid(spec);
        OutputFolder.CheckWritable(request.OutputDirectory, spec.Name);
        using var data = ModelData.Load(request, log);
        var training = EffectiveTraining.For(request);

        // The layers draw their initial weights from libtorch's global generator: seed it first, so a build
        // trains the same baseline every time (the trainer seeds again for shuffling and dropout).
        TorchSharp.torch.manual_seed(training.Seed);
        using var model = request.CreateModel();
        ExportedFiles.CheckExportable(model);
        var baseline = BaselineCache.TrainOrLoad(model, data, training, request, log, cancellation);
        if (data.Labels.Chance.LearnedNothing(baseline.Accuracy))
        {
            log.Warning(PipelineWarning.BaselineLearnedNothing,
                $"{spec.Name}'s baseline reaches {data.Labels.Chance.Compare(baseline.Accuracy)}, with a test loss of {baseline.Loss:G4}: it learned nothing. Lower the learning rate in [Training(...)], train for more epochs, or check the labels.",
                spec.Source);
        }
        var baselineFile = ExportedFiles.Baseline(model);

        var fineTuning = FineTuning.Run(model, data, training, log, cancellation);
        Strip.Apply(model);
        var pruned = Trainer.Evaluate(model, data.Test);
        Divergence.ThrowIfDiverged(spec, pruned.Loss, "fine-tuning");
        var sparsity = SparsityReport.Of(model);

        log.Progress($"{spec.Name}: exporting");
        var files = ExportedFiles.Create(model, data, request);
        // One TorchSharp pass over the most test samples any check needs; each check compares on the first of them.
        var referenceSamples = Math.Max(request.VerifyWithLiteRt ? LiteRtVerification.SamplesNeeded(files) : 0, files.Onnx is null ? 0 : OnnxVerification.Samples);
        var reference = referenceSamples > 0 ? ReferenceOutputs.Compute(model, data, referenceSamples) : null;
        var verification = request.VerifyWithLiteRt
            ? LiteRtVerification.Run(spec, reference!, files, request.WorkDirectory, log)
            : LiteRtVerification.Skipped("turned off (PruneVerifyWithLiteRt=false)");
        var onnxVerification = files.Onnx is { } onnxFile ? OnnxVerification.Run(spec, reference!, onnxFile, log) : null;

        var report = new PruneReport
        {
            Model = spec,
            Data = data.Description,
            Training = training,
            Baseline = baseline,
            FineTuning = fineTuning,
            PrunedAccuracy = pruned.Accuracy,
            Sparsity = sparsity,
            Sizes = FileSizes.Measure(baselineFile, files),
            Verification = verification,
            OnnxVerification = onnxVerification,
            FloatFileContents = TfLiteInspector.Describe(TfLiteReader.Read(files.Float)),
            Preprocessing = data.Standardization,
            FeatureNames = data.FeatureNames,
            Duration = clock.Elapsed,
        };

        using var staging = new StagingFolder(request.WorkDirectory, spec.Name);
        staging.Write($"{spec.Name}.tflite", files.Float);
        if (files.Int8 is { } int8) staging.Write($"{spec.Name}.int8.tflite", int8);
        if (files.Onnx is { } onnx) staging.Write($"{spec.Name}.onnx", onnx);
        staging.Write($"{spec.Name}.report.md", ReportMarkdown.Render(report));
        staging.Write($"{spec.Name}.report.json", ReportJson.Render(report));
        var written = staging.MoveTo(request.OutputDirectory);
        log.Progress($"{spec.Name}: baseline {baseline.Accuracy:P2} -> pruned {pruned.Accuracy:P2} at {sparsity.OverallSparsity():P1} sparsity; wrote {written.Count} files to {request.OutputDirectory} ({clock.Elapsed.TotalSeconds:F0} s)");
        return written;
    }
}
