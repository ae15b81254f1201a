using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>A fully connected layer; weight [units, inputs].</summary>
internal sealed class DenseLayer(DenseSpec spec) : WeightLayer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input) => nn.functional.linear(input, Weight, Bias);

    /// <summary>After a Flatten of an image, the input is in TFLite's (h, w, c) order: the columns are reordered to match.</summary>
    internal override void Lower(Lowering lowering)
    {
        var weight = Lowering.Values(Weight.detach());
        if (lowering.FlattenedImage is { } chw) weight = ColumnsInHwcOrder(weight, spec.Units, chw);
        lowering.FlattenedImage = null;
        lowering.Add(new DenseOp(spec.Name, lowering.LayerIndex, spec.Activation, weight, spec.Units, spec.InputShape[0], Lowering.BiasOf(this)));
    }

    /// <summary>Column c·H·W + h·W + w of TorchSharp's flatten becomes column h·W·C + w·C + c of TFLite's.</summary>
    private static float[] ColumnsInHwcOrder(float[] weight, int units, int[] chw)
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
}
