using Prune.Layers;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Export;

/// <summary>
/// Turns a model's layers into <see cref="LoweredOp"/>s: NCHW weights to TFLite's layouts, BatchNorm folded into the
/// convolution or dense layer before it, Dropout dropped, and the first dense layer after a flatten of a [C, H, W]
/// tensor given its columns in (h, w, c) order, the order a TFLite RESHAPE of an NHWC tensor produces.
/// </summary>
internal static class ModelLowering
{
    public static List<LoweredOp> Lower(Model model)
    {
        var ops = new List<LoweredOp>();
        int[]? flattenedChw = null;     // set while the current vector is a flattened NHWC tensor of this [C, H, W]
        var layers = model.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var spec = layer.Spec;
            switch (spec)
            {
                case Conv2DSpec s:
                    {
                        var w = (WeightLayer)layer;
                        using var filter = w.Weight.detach().permute(0, 2, 3, 1).contiguous();
                        ops.Add(new ConvOp(s.Name, i, Values(filter), Shape(filter), BiasOf(w, s.Filters), s.Stride, s.Padding, s.Activation, 1, Depthwise: false));
                        break;
                    }
                case DepthwiseConv2DSpec s:
                    {
                        var w = (WeightLayer)layer;
                        using var filter = w.Weight.detach().permute(1, 2, 3, 0).contiguous();
                        ops.Add(new ConvOp(s.Name, i, Values(filter), Shape(filter), BiasOf(w, s.InputShape[0] * s.DepthMultiplier),
                            s.Stride, s.Padding, s.Activation, s.DepthMultiplier, Depthwise: true));
                        break;
                    }
                case DenseSpec s:
                    {
                        var w = (WeightLayer)layer;
                        var weight = Values(w.Weight.detach());
                        if (flattenedChw is { } chw) weight = PermuteColumnsToHwc(weight, s.Units, chw);
                        flattenedChw = null;
                        ops.Add(new DenseOp(s.Name, i, weight, s.Units, s.InputShape[0], BiasOf(w, s.Units), s.Activation));
                        break;
                    }
                case BatchNormSpec s:
                    Fold(ops, (BatchNormLayer)layer, s, i, PreviousLayer(layers, i));
                    break;
                case DropoutSpec:
                    break;
                case MaxPool2DSpec s:
                    ops.Add(new PoolOp(s.Name, i, Max: true, s.Pool, s.Stride, s.Padding));
                    break;
                case AveragePool2DSpec s:
                    ops.Add(new PoolOp(s.Name, i, Max: false, s.Pool, s.Stride, s.Padding));
                    break;
                case GlobalAveragePool2DSpec s:
                    ops.Add(new MeanOp(s.Name, i));
                    break;
                case FlattenSpec s when s.InputShape.Rank == 3:
                    ops.Add(new FlattenOp(s.Name, i, (int)s.InputShape.ElementCount));
                    flattenedChw = [s.InputShape[0], s.InputShape[1], s.InputShape[2]];
                    break;
                case FlattenSpec:
                    break;      // already a vector: nothing to do
                default:
                    throw new ExportException(spec.Name, spec.Kind, "Prune has no TFLite mapping for this kind of layer");
            }
            if (flattenedChw is not null && spec is not (FlattenSpec or DropoutSpec or DenseSpec))
                throw new ExportException(spec.Name, spec.Kind, "only Dense or Dropout may follow a Flatten of an image-shaped tensor");
        }
        if (ops.Count == 0) throw new ExportException($"Model '{model.Spec.Name}' has no layer that computes anything.");
        return ops;
    }

    /// <summary>The nearest earlier layer that is not a Dropout (which is an identity in inference).</summary>
    private static Layer? PreviousLayer(IReadOnlyList<Layer> layers, int index)
    {
        for (var j = index - 1; j >= 0; j--)
            if (layers[j].Spec is not DropoutSpec) return layers[j];
        return null;
    }

    /// <summary>BN(conv(x)) = conv'(x) with w' = w·γ/√(σ²+ε) per output channel and b' = (b − μ)·γ/√(σ²+ε) + β; the
    /// BatchNorm's own activation becomes the folded op's fused activation.</summary>
    private static void Fold(List<LoweredOp> ops, BatchNormLayer bn, BatchNormSpec spec, int index, Layer? previous)
    {
        var last = ops.Count > 0 ? ops[^1] : null;
        var foldable = previous is WeightLayer && last is ConvOp { Activation: Activation.None } or DenseOp { Activation: Activation.None }
            && last.Name == previous!.Spec.Name;
        if (!foldable)
            throw new ExportException(spec.Name, spec.Kind,
                "BatchNorm is folded into the Conv2D, DepthwiseConv2D or Dense layer right before it, and that layer must have no activation");

        var gamma = Values(bn.Scale.detach());
        var beta = Values(bn.Offset.detach());
        var mean = Values(bn.RunningMean);
        var variance = Values(bn.RunningVariance);
        var factor = new float[gamma.Length];
        for (var c = 0; c < factor.Length; c++) factor[c] = (float)(gamma[c] / Math.Sqrt(variance[c] + spec.Epsilon));

        LoweredOp folded = last switch
        {
            ConvOp conv => conv with
            {
                OutputLayer = index,
                Filter = ScaleAlongAxis(conv.Filter, conv.FilterShape, conv.OutputAxis, factor),
                Bias = FoldBias(conv.Bias, mean, beta, factor),
                Activation = spec.Activation,
            },
            DenseOp dense => dense with
            {
                OutputLayer = index,
                Weight = ScaleAlongAxis(dense.Weight, [dense.Units, dense.Inputs], 0, factor),
                Bias = FoldBias(dense.Bias, mean, beta, factor),
                Activation = spec.Activation,
            },
            _ => throw new InvalidOperationException("unreachable"),
        };
        ops[^1] = folded;
    }

    private static float[] FoldBias(float[] bias, float[] mean, float[] beta, float[] factor) =>
        bias.Select((b, c) => (b - mean[c]) * factor[c] + beta[c]).ToArray();

    private static float[] ScaleAlongAxis(float[] values, int[] shape, int axis, float[] factor)
    {
        var inner = 1;
        for (var d = axis + 1; d < shape.Length; d++) inner *= shape[d];
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = values[i] * factor[i / inner % shape[axis]];
        return result;
    }

    /// <summary>Column c·H·W + h·W + w of TorchSharp's flatten becomes column h·W·C + w·C + c of TFLite's.</summary>
    private static float[] PermuteColumnsToHwc(float[] weight, int units, int[] chw)
    {
        var (channels, height, width) = (chw[0], chw[1], chw[2]);
        var inputs = channels * height * width;
        var result = new float[weight.Length];
        for (var o = 0; o < units; o++)
            for (var c = 0; c < channels; c++)
                for (var h = 0; h < height; h++)
                    for (var w = 0; w < width; w++)
                        result[o * inputs + (h * width + w) * channels + c] = weight[o * inputs + (c * height + h) * width + w];
        return result;
    }

    private static float[] BiasOf(WeightLayer layer, int length) =>
        layer.Bias is { } bias ? Values(bias.detach()) : new float[length];

    private static float[] Values(Tensor t)
    {
        using var cpu = t.to(float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    private static int[] Shape(Tensor t) => t.shape.Select(d => (int)d).ToArray();
}
