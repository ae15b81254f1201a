using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>A fully connected layer; weight [units, inputs].</summary>
internal sealed class DenseLayer(DenseSpec spec) : WeightLayer(spec)
{
    /// <inheritdoc/>
    protected internal override Tensor PreActivation(Tensor input) => nn.functional.linear(input, Weight, Bias);

    /// <summary>After a Flatten of an image, the input may be in TFLite's (h, w, c) order: the columns are then reordered
    /// to match (<see cref="ExportColumnOrder"/>).</summary>
    internal override void Lower(Lowering lowering)
    {
        var weight = Lowering.Values(Weight.detach());
        if (ExportColumnOrder.Of(lowering.Model, lowering.LayerIndex) is { } order) weight = ColumnsIn(order, weight, spec.Units);
        lowering.Add(new DenseOp(spec.Name, lowering.LayerIndex, spec.Activation, weight, spec.Units, spec.InputShape[0], Lowering.BiasOf(this)));
    }

    /// <summary>The weight with exported column j holding TorchSharp's column <paramref name="order"/>[j].</summary>
    private static float[] ColumnsIn(long[] order, float[] weight, int units)
    {
        var inputs = order.Length;
        var result = new float[weight.Length];
        for (var o = 0; o < units; o++)
            for (var j = 0; j < inputs; j++)
                result[o * inputs + j] = weight[o * inputs + order[j]];
        return result;
    }
}
