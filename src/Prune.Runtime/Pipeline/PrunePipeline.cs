using System.Diagnostics;
using Prune.Export;

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
        var (model, baseline) = TrainedBaseline.Prepare(request, data, training, log, cancellation);
        using var _ = model;
        var baselineFile = ExportedFiles.Baseline(model);
        var outcome = PruningRun.Run(model, data, training, request, log, cancellation);
        var (fineTuning, pruned, sparsity, files) = (outcome.FineTuning, outcome.Pruned, outcome.Sparsity, outcome.Files);

        var floatContents = TfLiteReader.Read(files.Float);
        var tfliteFiles = new List<ReadBackFile> { new($"{spec.Name}.tflite", floatContents) };
        if (files.Int8 is { } int8File) tfliteFiles.Add(new ReadBackFile($"{spec.Name}.int8.tflite", TfLiteReader.Read(int8File)));
        var charts = ReportCharts.Draw(request.Charts, spec, baseline, fineTuning, pruned.Accuracy);
        var report = new PruneReport
        {
            Model = spec,
            Data = data.Description,
            Training = training,
            Baseline = baseline,
            FineTuning = fineTuning,
            PrunedAccuracy = pruned.Accuracy,
            Sparsity = sparsity,
            Shrunk = ShrunkLayers.Of(spec, outcome.Stripped),
            Sizes = FileSizes.Measure(baselineFile, files),
            Verification = outcome.Verification,
            OnnxVerification = outcome.Onnx,
            Preprocessing = data.Preprocessing,
            TfLiteFiles = tfliteFiles,
            Costs = OperatorCosts.Of(floatContents),
            Charts = [.. charts.Select(c => c.Link)],
            Duration = clock.Elapsed,
        };

        using var staging = new StagingFolder(request.WorkDirectory, spec.Name);
        staging.Write($"{spec.Name}.tflite", files.Float);
        if (files.Int8 is { } int8) staging.Write($"{spec.Name}.int8.tflite", int8);
        if (files.Onnx is { } onnx) staging.Write($"{spec.Name}.onnx", onnx);
        foreach (var chart in charts) staging.Write(chart.Link.File, chart.Png);
        staging.Write($"{spec.Name}.report.md", ReportMarkdown.Render(report));
        staging.Write($"{spec.Name}.report.json", ReportJson.Render(report));
        var written = staging.MoveTo(request.OutputDirectory);
        log.Progress($"{spec.Name}: baseline {baseline.Accuracy:P2} -> pruned {pruned.Accuracy:P2} at {sparsity.OverallSparsity():P1} sparsity; wrote {written.Count} files to {request.OutputDirectory} ({clock.Elapsed.TotalSeconds:F0} s)");
        return written;
    }
}
