using Prune.LiteRt;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Pipeline;

/// <summary>What LiteRT said about the exported files.</summary>
/// <param name="Ran">Whether LiteRT ran at all.</param>
/// <param name="Note">Why it did not run, or on what it ran.</param>
/// <param name="FloatSamples">Test samples the float file was compared on.</param>
/// <param name="FloatMaxAbsDifference">Largest difference between LiteRT's and TorchSharp's probabilities.</param>
/// <param name="FloatTop1Agreement">Fraction of samples where both pick the same class.</param>
/// <param name="Int8Samples">Test samples the int8 file ran on (0 without int8).</param>
/// <param name="Int8Accuracy">The int8 file's accuracy on them, as LiteRT computes it.</param>
/// <param name="Int8Top1Agreement">Fraction of them where the int8 file picks the float model's class.</param>
public sealed record VerificationResult(bool Ran, string Note, int FloatSamples = 0, double FloatMaxAbsDifference = 0,
    double FloatTop1Agreement = 0, int Int8Samples = 0, double Int8Accuracy = 0, double Int8Top1Agreement = 0);

/// <summary>
/// Runs the exported files in Google's LiteRT (the judge of every file Prune writes) on real test samples and
/// compares them with the TorchSharp model: the float file must match it, the int8 file must agree closely.
/// </summary>
internal static class LiteRtVerification
{
    /// <summary>The float file must match TorchSharp's probabilities this closely (issue 4's bar).</summary>
    private const double FloatTolerance = 1e-4;
    private const int FloatSamples = 200;
    private const int Int8Samples = 1000;
    /// <summary>Below this top-1 agreement with the float model the report warns about the int8 file.</summary>
    private const double Int8AgreementWarning = 0.98;

    public static VerificationResult Skipped(string why) => new(false, why);

    public static VerificationResult Run(Model model, ModelData data, ExportedFiles files, string workDirectory, IPipelineLog log)
    {
        var spec = model.Spec;
        LiteRtRunner runner;
        try
        {
            runner = LiteRtRunner.Locate();
        }
        catch (LiteRtUnavailableException e)
        {
            log.Warning(PipelineWarning.LiteRtUnavailable, $"The exported files of {spec.Name} were not checked in LiteRT: {e.Message}", spec.Source);
            return Skipped(e.Message);
        }

        log.Progress($"{spec.Name}: checking the exported files in LiteRT");
        var directory = Path.Combine(workDirectory, "verify");
        Directory.CreateDirectory(directory);
        var outputs = new ModelOutputs(spec);

        // One TorchSharp pass over the most samples either check needs; the float check uses the first of them.
        var count = (int)Math.Min(files.Int8 is null ? FloatSamples : Math.Max(FloatSamples, Int8Samples), data.Test.Count);
        var (samples, expected, labels) = Reference(model, data, count);
        var cause = CauseOfDisagreement(outputs, expected, labels);
        var floatCount = Math.Min(FloatSamples, count);
        var actual = RunFile(runner, directory, $"{spec.Name}.float.tflite", files.Float, samples[..floatCount], cause);
        var maxDifference = 0.0;
        var agree = 0;
        for (var i = 0; i < floatCount; i++)
        {
            var want = outputs.Probabilities(expected[i]);
            var got = outputs.Probabilities(actual[i]);
            maxDifference = Math.Max(maxDifference, want.Zip(got, (a, b) => Math.Abs(a - b)).Max());
            if (outputs.Class(want) == outputs.Class(got)) agree++;
        }
        if (maxDifference > FloatTolerance || agree < floatCount)
        {
            throw new PipelineException(PipelineFailure.LiteRtMismatch,
                $"LiteRT computes something else than TorchSharp for {spec.Name}'s float file: largest probability difference {maxDifference:E2} (allowed {FloatTolerance:E0}), same class on {agree} of {floatCount} test samples. {cause}",
                spec.Source);
        }

        var floatAgreement = (double)agree / floatCount;
        if (files.Int8 is not { } int8) return new VerificationResult(true, "float file only", floatCount, maxDifference, floatAgreement);
        var int8Count = Math.Min(Int8Samples, count);
        var quantized = RunFile(runner, directory, $"{spec.Name}.int8.tflite", int8, samples[..int8Count], cause);
        int correct = 0, agreeInt8 = 0;
        for (var i = 0; i < int8Count; i++)
        {
            var predicted = outputs.Class(outputs.Probabilities(quantized[i]));
            if (predicted == labels[i]) correct++;
            if (predicted == outputs.Class(outputs.Probabilities(expected[i]))) agreeInt8++;
        }
        var agreement = (double)agreeInt8 / int8Count;
        if (agreement < Int8AgreementWarning)
        {
            log.Warning(PipelineWarning.QuantizationDegraded,
                $"{spec.Name}'s int8 file picks the float model's class on only {agreement:P1} of {int8Count} test samples.", spec.Source);
        }
        return new VerificationResult(true, $"first {floatCount} test samples (float) and first {int8Count} (int8)",
            floatCount, maxDifference, floatAgreement, int8Count, (double)correct / int8Count, agreement);
    }

    /// <summary>The first <paramref name="count"/> test samples (flattened per sample, in TFLite's NHWC order), TorchSharp's outputs and the labels.</summary>
    private static (float[][] Samples, float[][] Outputs, int[] Labels) Reference(Model model, ModelData data, int count)
    {
        using var scope = NewDisposeScope();
        var inputs = data.Test.Features.narrow(0, 0, count);
        var outputs = Trainer.Predict(model, inputs);
        var nhwc = inputs.dim() == 4 ? inputs.permute(0, 2, 3, 1).contiguous() : inputs;
        var labels = data.Test.Labels.narrow(0, 0, count).to_type(ScalarType.Int32).flatten().data<int>().ToArray();
        return (Rows(nhwc), Rows(outputs), labels);
    }

    private static float[][] Rows(Tensor batch)
    {
        var flat = batch.reshape(batch.shape[0], -1).contiguous().data<float>().ToArray();
        var width = (int)(flat.Length / batch.shape[0]);
        return Enumerable.Range(0, (int)batch.shape[0]).Select(i => flat.AsSpan(i * width, width).ToArray()).ToArray();
    }

    /// <summary>
    /// What to tell the user when LiteRT and TorchSharp disagree. When the model's own outputs are noise (not finite, or
    /// no more accurate than always answering the most common class), its training failed, and outputs that are noise
    /// need not survive another runtime's arithmetic: that says nothing about the exporter. Otherwise it is our bug.
    /// </summary>
    private static string CauseOfDisagreement(ModelOutputs outputs, float[][] expected, int[] labels)
    {
        if (expected.Any(row => row.Any(v => !float.IsFinite(v))))
            return "TorchSharp's own outputs for the model are not finite numbers: its training diverged, which says nothing about Prune's exporter. Lower the learning rate in [Training(...)].";
        var chance = ChanceLevel.Of([.. labels.Select(l => (long)l)]);
        var accuracy = expected.Zip(labels, (row, label) => outputs.Class(outputs.Probabilities(row)) == label).Count(hit => hit) / (double)labels.Length;
        return chance.LearnedNothing(accuracy)
            ? $"The model itself reaches only {chance.Compare(accuracy)}: its training failed (usually a learning rate far too high), and outputs that are noise need not survive another runtime's arithmetic, which says nothing about Prune's exporter. Lower the learning rate in [Training(...)] or train longer."
            : "This is a bug in Prune's exporter; please report it.";
    }

    private static float[][] RunFile(LiteRtRunner runner, string directory, string name, byte[] file, float[][] samples, string cause)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, file);
        try
        {
            return runner.Run(path, samples);
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
