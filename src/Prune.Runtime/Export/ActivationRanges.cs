using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Export;

/// <summary>
/// Min and max of every layer's output over a representative sample (the TFLite converter's calibration), and of what
/// it computes before its activation (<see cref="Layer.PreActivation"/>): the input of an activation that becomes an op
/// of its own (sigmoid, tanh, softmax, or any activation after an op that cannot fuse it). A classifier's scores are
/// measured only where they matter (<see cref="ClassScores"/>).
/// </summary>
internal sealed class ActivationRanges
{
    /// <summary>
    /// How far below a sample's top score a score still counts: one lower has a probability under e^−10 (4.5e-5) of the
    /// top's, so raising all such scores to the range's low end moves no probability by more than 9 × e^−10 = 4.1e-4
    /// with 10 classes, far under the int8 softmax's step of 1/256.
    /// </summary>
    internal const float ScoreReach = 10;

    private ActivationRanges(int layers)
    {
        Output = Enumerable.Repeat(Empty, layers).ToArray();
        PreActivation = Enumerable.Repeat(Empty, layers).ToArray();
    }

    private static (float Min, float Max) Empty => (float.PositiveInfinity, float.NegativeInfinity);

    public (float Min, float Max) Input { get; private set; } = Empty;
    public (float Min, float Max)[] Output { get; }
    public (float Min, float Max)[] PreActivation { get; }

    public static ActivationRanges Measure(Model model, Tensor samples, int batchSize = 128)
    {
        var ranges = new ActivationRanges(model.Layers.Count);
        var scores = ClassScores(model.Spec);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            for (long start = 0; start < samples.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var x = samples.narrow(0, start, Math.Min(batchSize, samples.shape[0] - start)).to(float32);
                ranges.Input = Extend(ranges.Input, x);
                // A softmax's output (probabilities, all within 1 of the top) is left as it is by WithinReach.
                model.Run(x, (i, linear, output) =>
                {
                    ranges.PreActivation[i] = Extend(ranges.PreActivation[i], i == scores ? WithinReach(linear) : linear);
                    ranges.Output[i] = Extend(ranges.Output[i], i == scores ? WithinReach(output) : output);
                });
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return ranges;
    }

    /// <summary>
    /// The layer whose values are a classifier's scores: the last one when it has several outputs in a vector, read as
    /// logits or through a softmax; −1 for any other model. Min/max spends its 256 steps on scores too low to matter:
    /// on samples/TransferResNet18 the logits spanned −54…59, steps of 0.44, coarser than the gap between the top two
    /// classes of an ambiguous digit, and the int8 file disagreed with the float model on 1.08 % of the test images.
    /// Measured only within <see cref="ScoreReach"/> of each sample's top, it disagrees on 0.78 % (docs/benchmarks.md).
    /// </summary>
    private static int ClassScores(ModelSpec spec)
    {
        var reading = new OutputReading(spec);
        var activation = spec.Layers[^1].Activation;
        var scores = !reading.IsBinary && spec.OutputShape.Rank == 1 && activation is Activation.None or Activation.Softmax;
        return scores ? spec.Layers.Count - 1 : -1;
    }

    /// <summary>Each sample's scores, those more than <see cref="ScoreReach"/> below its top raised to that bound: the
    /// range then reaches down only as far as some sample needs, and a lower score saturates where it is negligible.</summary>
    private static Tensor WithinReach(Tensor scores)
    {
        var floor = scores.amax([1], keepdim: true) - ScoreReach;
        return scores.maximum(floor);
    }

    private static (float Min, float Max) Extend((float Min, float Max) range, Tensor x) =>
        (Math.Min(range.Min, x.min().item<float>()), Math.Max(range.Max, x.max().item<float>()));
}
