using Prune.Layers;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Export;

/// <summary>
/// Min and max of every layer's output over a representative sample (the TFLite converter's calibration), plus the
/// pre-activation range of weight layers whose activation becomes an op of its own (sigmoid, tanh, softmax).
/// </summary>
internal sealed class ActivationRanges
{
    private ActivationRanges(int layers)
    {
        Output = Enumerable.Repeat((float.PositiveInfinity, float.NegativeInfinity), layers).ToArray();
        PreActivation = new (float, float)?[layers];
    }

    public (float Min, float Max) Input { get; private set; } = (float.PositiveInfinity, float.NegativeInfinity);
    public (float Min, float Max)[] Output { get; }
    public (float Min, float Max)?[] PreActivation { get; }

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
                for (var i = 0; i < model.Layers.Count; i++)
                {
                    var layer = model.Layers[i];
                    if (PreActivationOf(layer, x) is { } pre) ranges.PreActivation[i] = Extend(ranges.PreActivation[i] ?? (float.PositiveInfinity, float.NegativeInfinity), pre);
                    x = layer.call(x);
                    ranges.Output[i] = Extend(ranges.Output[i], x);
                }
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return ranges;
    }

    /// <summary>True when TFLite runs this activation as an op after the layer rather than fused into it.</summary>
    public static bool IsSeparate(Activation activation) => activation is Activation.Sigmoid or Activation.Tanh or Activation.Softmax;

    private static Tensor? PreActivationOf(Layer layer, Tensor x) => layer.Spec switch
    {
        DenseSpec s when IsSeparate(s.Activation) =>
            nn.functional.linear(x, ((WeightLayer)layer).Weight, ((WeightLayer)layer).Bias),
        Conv2DSpec s when IsSeparate(s.Activation) =>
            nn.functional.conv2d(Pad(x, s.Padding, s.Kernel, s.Stride), ((WeightLayer)layer).Weight, ((WeightLayer)layer).Bias,
                strides: [s.Stride.Height, s.Stride.Width]),
        DepthwiseConv2DSpec s when IsSeparate(s.Activation) =>
            nn.functional.conv2d(Pad(x, s.Padding, s.Kernel, s.Stride), ((WeightLayer)layer).Weight, ((WeightLayer)layer).Bias,
                strides: [s.Stride.Height, s.Stride.Width], groups: s.InputShape[0]),
        // A BatchNorm's activation becomes the folded layer's: its input is the normalized value.
        BatchNormSpec s when IsSeparate(s.Activation) => ((BatchNormLayer)layer).Normalize(x),
        _ => null,
    };

    private static Tensor Pad(Tensor x, Padding padding, Size2D kernel, Size2D stride) =>
        padding == Padding.Same ? Padding2D.PadSame(x, kernel, stride) : x;

    private static (float Min, float Max) Extend((float Min, float Max) range, Tensor x) =>
        (Math.Min(range.Min, x.min().item<float>()), Math.Max(range.Max, x.max().item<float>()));
}
