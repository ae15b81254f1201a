using static TorchSharp.torch;

namespace Prune.Export;

/// <summary>
/// Min and max of every layer's output over a representative sample (the TFLite converter's calibration), and of what
/// it computes before its activation (<see cref="Layer.PreActivation"/>): the input of an activation that becomes an op
/// of its own (sigmoid, tanh, softmax, or any activation after an op that cannot fuse it).
/// </summary>
internal sealed class ActivationRanges
{
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
                model.Run(x, (i, linear, output) =>
                {
                    ranges.PreActivation[i] = Extend(ranges.PreActivation[i], linear);
                    ranges.Output[i] = Extend(ranges.Output[i], output);
                });
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return ranges;
    }

    private static (float Min, float Max) Extend((float Min, float Max) range, Tensor x) =>
        (Math.Min(range.Min, x.min().item<float>()), Math.Max(range.Max, x.max().item<float>()));
}
