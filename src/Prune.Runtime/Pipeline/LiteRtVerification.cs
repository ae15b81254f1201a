using Prune.LiteRt;
using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>What LiteRT said about the exported files.</summary>
/// <param name="Ran">Whether LiteRT ran at all.</param>
/// <param name="Note">Why it did not run, or on what it ran.</param>
/// <param name="FloatSamples">Test samples the float file was compared on.</param>
/// <param name="FloatMaxAbsDifference">Largest difference between LiteRT's and TorchSharp's probabilities.</param>
/// <param name="FloatTop1Agreement">Fraction of samples where both pick the same class.</param>
/// <param name="Int8Samples">Test samples the int8 file ran on: all of them (0 without int8).</param>
/// <param name="Int8Accuracy">The int8 file's accuracy on them, as LiteRT computes it.</param>
/// <param name="Int8Top1Agreement">Fraction of them where the int8 file picks the float model's class.</param>
internal sealed record VerificationResult(bool Ran, string Note, int FloatSamples = 0, double FloatMaxAbsDifference = 0,
    double FloatTop1Agreement = 0, int Int8Samples = 0, double Int8Accuracy = 0, double Int8Top1Agreement = 0)
{
    /// <summary>The float file's accuracy on its <see cref="FloatSamples"/>, as LiteRT computes it.</summary>
    public double FloatAccuracy { get; init; }

    /// <summary>The float file's batch-1 inference time in LiteRT.</summary>
    public Latency? FloatLatency { get; init; }

    /// <summary>The int8 file's batch-1 inference time in LiteRT; null without int8.</summary>
    public Latency? Int8Latency { get; init; }
}

/// <summary>
/// Runs the exported files in Google's LiteRT (the judge of every file Prune writes) on real test samples and
/// compares them with the TorchSharp model: the float file must match it, the int8 file must agree closely.
/// </summary>
internal static class LiteRtVerification
{
    /// <summary>The float file must match TorchSharp's probabilities this closely.</summary>
    private const double FloatTolerance = 1e-4;
    /// <summary>The float file is compared on this many test samples by default; the int8 file runs on all of them.</summary>
    public const int FloatSamples = 200;
    /// <summary>Below this top-1 agreement with the float model the report warns about the int8 file.</summary>
    private const double Int8AgreementWarning = 0.98;

    public static VerificationResult Skipped(string why) => new(false, why);

    /// <summary>How many test samples the check needs TorchSharp's reference for: all of them for an int8 file.</summary>
    public static int SamplesNeeded(ExportedFiles files, int floatSamples = FloatSamples) => files.Int8 is null ? floatSamples : int.MaxValue;

    /// <summary>Runs both files in LiteRT, the float file on the first <paramref name="floatSamples"/> of the reference's samples
    /// and the int8 file on all of them, and times a batch-1 inference of each.</summary>
    public static VerificationResult Run(ModelSpec spec, ReferenceOutputs reference, ExportedFiles files, string workDirectory, IPipelineLog log,
        int floatSamples = FloatSamples)
    {
        LiteRtRunner runner;
        try
        {
            runner = LiteRtRunner.Locate();
        }
        catch (LiteRtUnavailableException e)
        {
            log.Warning(PipelineWarning.LiteRtUnavailable, $"The exported files of {spec.Name} were written but not checked in LiteRT: {e.Message} (PruneVerifyWithLiteRt=false builds without the check.)", spec.Source);
            return Skipped(e.Message);
        }

        log.Progress($"{spec.Name}: checking the exported files in LiteRT");
        var directory = Path.Combine(workDirectory, "verify");
        Directory.CreateDirectory(directory);
        var outputs = reference.Outputs;
        var samples = reference.Samples.Select(s => Nhwc(spec, s)).ToArray();

        var cause = CauseOfDisagreement(reference);
        var floatCount = Math.Min(floatSamples, reference.Count);
        var (actual, floatLatency) = RunFile(runner, directory, $"{spec.Name}.float.tflite", files.Float, samples[..floatCount], cause);
        var floatProbabilities = actual.Select(outputs.Probabilities).ToArray();
        var (maxDifference, agree) = reference.Compare(floatProbabilities);
        if (maxDifference > FloatTolerance || agree < floatCount)
        {
            throw new PipelineException(PipelineFailure.LiteRtMismatch,
                $"LiteRT computes something else than TorchSharp for {spec.Name}'s float file: largest probability difference {maxDifference:E2} (allowed {FloatTolerance:E0}), same class on {agree} of {floatCount} test samples. {cause}",
                spec.Source);
        }

        var floatAgreement = (double)agree / floatCount;
        var floatAccuracy = Accuracy(reference, floatProbabilities);
        var floatNote = floatCount == reference.Count ? $"all {floatCount:N0} test samples" : $"first {floatCount:N0} test samples";
        if (files.Int8 is not { } int8)
            return new VerificationResult(true, $"{floatNote} (float file)", floatCount, maxDifference, floatAgreement) { FloatAccuracy = floatAccuracy, FloatLatency = floatLatency };
        var int8Count = reference.Count;
        var (quantized, int8Latency) = RunFile(runner, directory, $"{spec.Name}.int8.tflite", int8, samples, cause);
        var quantizedProbabilities = quantized.Select(outputs.Probabilities).ToArray();
        var agreement = reference.Compare(quantizedProbabilities).SameClass / (double)int8Count;
        if (agreement < Int8AgreementWarning)
        {
            log.Warning(PipelineWarning.QuantizationDegraded,
                $"{spec.Name}'s int8 file picks the float model's class on only {agreement:P1} of {int8Count} test samples.", spec.Source);
        }
        return new VerificationResult(true, $"{floatNote} (float file) and all {int8Count:N0} (int8 file)",
            floatCount, maxDifference, floatAgreement, int8Count, Accuracy(reference, quantizedProbabilities), agreement)
        {
            FloatAccuracy = floatAccuracy,
            FloatLatency = floatLatency,
            Int8Latency = int8Latency,
        };
    }

    /// <summary>The fraction of the first samples whose label <paramref name="probabilities"/> (one row per sample) picks.</summary>
    private static double Accuracy(ReferenceOutputs reference, double[][] probabilities) =>
        probabilities.Where((row, i) => reference.Outputs.Class(row) == reference.Labels[i]).Count() / (double)probabilities.Length;

    /// <summary>A sample in TFLite's layout: NHWC for images, as it is for feature vectors.</summary>
    private static float[] Nhwc(ModelSpec spec, float[] sample) => spec.InputShape.Rank == 3
        ? LiteRtRunner.NchwToNhwc(sample, spec.InputShape[0], spec.InputShape[1], spec.InputShape[2])
        : sample;

    /// <summary>
    /// What to tell the user when LiteRT and TorchSharp disagree. When the model's own outputs are noise (not finite, or
    /// no more accurate than always answering the most common class), its training failed, and outputs that are noise
    /// need not survive another runtime's arithmetic: that says nothing about the exporter. Otherwise it is our bug.
    /// </summary>
    private static string CauseOfDisagreement(ReferenceOutputs reference)
    {
        if (reference.Probabilities.Any(row => row.Any(v => !double.IsFinite(v))))
            return "TorchSharp's own outputs for the model are not finite numbers: its training diverged, which says nothing about Prune's exporter. Lower the learning rate in [Training(...)].";
        var chance = ChanceLevel.Of([.. reference.Labels.Select(l => (long)l)]);
        var accuracy = reference.Probabilities.Zip(reference.Labels, (row, label) => reference.Outputs.Class(row) == label).Count(hit => hit) / (double)reference.Count;
        return chance.LearnedNothing(accuracy)
            ? $"The model itself reaches only {chance.Compare(accuracy)}: its training failed (usually a learning rate far too high), and outputs that are noise need not survive another runtime's arithmetic, which says nothing about Prune's exporter. Lower the learning rate in [Training(...)] or train longer."
            : "This is a bug in Prune's exporter; please report it.";
    }

    /// <summary>Runs <paramref name="samples"/> through the file, then times batch-1 inferences of the first, in one Node process.</summary>
    private static (float[][] Outputs, Latency Latency) RunFile(LiteRtRunner runner, string directory, string name, byte[] file, float[][] samples, string cause)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, file);
        try
        {
            return runner.RunAndTime(path, samples, LatencyRuns.Default);
        }
        catch (LiteRtException e)
        {
            throw new PipelineException(PipelineFailure.LiteRtMismatch, $"LiteRT could not run {name}: {e.Message} {cause}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
