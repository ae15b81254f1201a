using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Pipeline;

/// <summary>
/// What every exported file is judged against: the first test samples as the model takes them (one flat NCHW or
/// feature row per sample), the TorchSharp model's probabilities for them, and their labels. One TorchSharp pass
/// serves the LiteRT and the ONNX Runtime checks.
/// </summary>
internal sealed class ReferenceOutputs
{
    private ReferenceOutputs(OutputReading outputs, float[][] samples, double[][] probabilities, int[] labels)
    {
        Outputs = outputs;
        Samples = samples;
        Probabilities = probabilities;
        Labels = labels;
    }

    /// <summary>How the model's outputs are read, here and in every file checked against them.</summary>
    public OutputReading Outputs { get; }
    public float[][] Samples { get; }
    public double[][] Probabilities { get; }
    public int[] Labels { get; }
    public int Count => Samples.Length;

    public static ReferenceOutputs Compute(Model model, ModelData data, int count)
    {
        using var scope = NewDisposeScope();
        count = (int)Math.Min(count, data.Test.Count);
        var inputs = data.Test.Features.narrow(0, 0, count);
        var outputs = model.Spec.Output;
        var probabilities = Rows(Trainer.Predict(model, inputs)).Select(outputs.Probabilities).ToArray();
        var labels = data.Test.Labels.narrow(0, 0, count).to_type(ScalarType.Int32).flatten().data<int>().ToArray();
        return new ReferenceOutputs(outputs, Rows(inputs), probabilities, labels);
    }

    /// <summary>How closely <paramref name="probabilities"/> (one row per sample, from the first sample on) follow
    /// TorchSharp's: the largest difference of any probability, and on how many samples both pick the same class.</summary>
    public (double MaxDifference, int SameClass) Compare(IReadOnlyList<double[]> probabilities)
    {
        var maxDifference = 0.0;
        var sameClass = 0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            maxDifference = Math.Max(maxDifference, Probabilities[i].Zip(probabilities[i], (a, b) => Math.Abs(a - b)).Max());
            if (Outputs.Class(Probabilities[i]) == Outputs.Class(probabilities[i])) sameClass++;
        }
        return (maxDifference, sameClass);
    }

    private static float[][] Rows(Tensor batch)
    {
        var flat = batch.reshape(batch.shape[0], -1).contiguous().data<float>().ToArray();
        var width = (int)(flat.Length / batch.shape[0]);
        return Enumerable.Range(0, (int)batch.shape[0]).Select(i => flat.AsSpan(i * width, width).ToArray()).ToArray();
    }
}
