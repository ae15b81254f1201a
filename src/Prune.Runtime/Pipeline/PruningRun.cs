using Prune.Pruning;
using Prune.Specs;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>What pruning one baseline gave: the fine-tuning, the stripped model's test results, its files and their checks.</summary>
/// <param name="FineTuning">What fine-tuning did.</param>
/// <param name="Pruned">The stripped model's test loss and accuracy in TorchSharp.</param>
/// <param name="Sparsity">Every weight layer's sparsity after strip.</param>
/// <param name="Files">The exported files, in memory.</param>
/// <param name="Verification">What LiteRT said about the .tflite files.</param>
/// <param name="Onnx">What ONNX Runtime said about the .onnx file; null when none was written.</param>
/// <param name="Stripped">The exported model's spec: the declared one, or the smaller one filter pruning shrank it to.</param>
internal sealed record PruningOutcome(FineTuneResult FineTuning, Evaluation Pruned, IReadOnlyList<LayerSparsity> Sparsity,
    ExportedFiles Files, VerificationResult Verification, OnnxVerificationResult? Onnx, ModelSpec Stripped);

/// <summary>
/// Prunes a model that holds its baseline: fine-tune on the schedule, strip the masks, evaluate, export, and check the
/// files in LiteRT (and ONNX Runtime). The build does this once per model; a sweep once per target.
/// </summary>
internal static class PruningRun
{
    /// <summary>Prunes <paramref name="model"/>; its float file is compared with TorchSharp in LiteRT on the first
    /// <paramref name="floatSamples"/> test samples (the int8 file runs on all of them).</summary>
    public static PruningOutcome Run(Model model, ModelData data, TrainingSpec training, PipelineRequest request, IPipelineLog log,
        CancellationToken cancellation, int floatSamples = LiteRtVerification.FloatSamples)
    {
        var spec = model.Spec;
        var fineTuning = FineTuning.Run(model, data, training, request.Device, log, cancellation);
        var stripped = Strip.Apply(model);
        // Filter pruning returns a new, smaller model: it is what is evaluated and exported.
        using var shrunk = ReferenceEquals(stripped, model) ? null : stripped;
        var sparsity = SparsityReport.Of(model, stripped.Spec);
        var pruned = Trainer.Evaluate(stripped, data.Test);
        Divergence.ThrowIfDiverged(spec, pruned.Loss, "fine-tuning");

        log.Progress($"{spec.Name}: exporting");
        var files = ExportedFiles.Create(stripped, data, request);
        // One TorchSharp pass over the most test samples any check needs; each check compares on the first of them.
        var referenceSamples = Math.Max(request.VerifyWithLiteRt ? LiteRtVerification.SamplesNeeded(files, floatSamples) : 0, files.Onnx is null ? 0 : OnnxVerification.Samples);
        var reference = referenceSamples > 0 ? ReferenceOutputs.Compute(stripped, data, referenceSamples) : null;
        var verification = request.VerifyWithLiteRt
            ? LiteRtVerification.Run(spec, reference!, files, request.WorkDirectory, log, floatSamples)
            : LiteRtVerification.Skipped("turned off (PruneVerifyWithLiteRt=false)");
        var onnx = files.Onnx is { } onnxFile ? OnnxVerification.Run(spec, reference!, onnxFile, log) : null;
        return new PruningOutcome(fineTuning, pruned, sparsity, files, verification, onnx, stripped.Spec);
    }
}
