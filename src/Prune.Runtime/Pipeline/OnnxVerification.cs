using Microsoft.ML.OnnxRuntime;
using Prune.Onnx;
using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>What ONNX Runtime said about the <c>.onnx</c> file.</summary>
/// <param name="Samples">Test samples the file was compared on.</param>
/// <param name="MaxAbsDifference">Largest difference between ONNX Runtime's and TorchSharp's probabilities.</param>
/// <param name="Top1Agreement">Fraction of samples where both pick the same class.</param>
internal sealed record OnnxVerificationResult(int Samples, double MaxAbsDifference, double Top1Agreement);

/// <summary>
/// Loads the <c>.onnx</c> file in ONNX Runtime (its loading checks are the first test) and runs it on real test
/// samples, as one batch through the symbolic batch dimension: its probabilities must match TorchSharp's.
/// ONNX Runtime runs in process, so unlike LiteRT this check cannot be unavailable and always runs.
/// </summary>
internal static class OnnxVerification
{
    /// <summary>The bar: ONNX Runtime's probabilities within 1e-5 of TorchSharp's, same class on every sample.</summary>
    public const double Tolerance = 1e-5;
    public const int Samples = 200;

    public static OnnxVerificationResult Run(ModelSpec spec, ReferenceOutputs reference, byte[] onnx, IPipelineLog log)
    {
        log.Progress($"{spec.Name}: checking the .onnx file in ONNX Runtime");
        var count = Math.Min(Samples, reference.Count);
        float[] flat;
        try
        {
            using var runner = new OnnxRunner(onnx);
            flat = runner.Run(reference.Samples[..count].SelectMany(s => s).ToArray(), count);
        }
        catch (OnnxRuntimeException e)
        {
            throw new PipelineException(PipelineFailure.OnnxMismatch,
                $"ONNX Runtime refuses {spec.Name}.onnx: {e.Message} This is a bug in Prune's exporter; please report it.", spec.Source);
        }
        var width = flat.Length / count;
        var probabilities = Enumerable.Range(0, count).Select(i => flat[(i * width)..((i + 1) * width)].Select(p => (double)p).ToArray()).ToArray();
        var (maxDifference, sameClass) = reference.Compare(probabilities);
        if (maxDifference > Tolerance || sameClass < count)
        {
            throw new PipelineException(PipelineFailure.OnnxMismatch,
                $"ONNX Runtime computes something else than TorchSharp for {spec.Name}.onnx: largest probability difference {maxDifference:E2} (allowed {Tolerance:E0}), same class on {sameClass} of {count} test samples. This is a bug in Prune's exporter; please report it.",
                spec.Source);
        }
        return new OnnxVerificationResult(count, maxDifference, (double)sameClass / count);
    }
}
