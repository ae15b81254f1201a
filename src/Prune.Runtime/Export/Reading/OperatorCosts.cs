namespace Prune.Export;

/// <summary>What one operator of a <c>.tflite</c> file costs per inference of one sample.</summary>
/// <param name="Index">The operator's position in the subgraph.</param>
/// <param name="Operator">Its schema name, e.g. <c>CONV_2D</c>.</param>
/// <param name="Layer">The layer it computes: its weight's name without <c>/weight</c>, else its output's name.</param>
/// <param name="MultiplyAccumulates">Multiply-accumulates of its weights with its input, as a dense kernel computes them.</param>
/// <param name="NonzeroMultiplyAccumulates">Those of them whose weight is not zero: what pruning leaves to compute.</param>
/// <param name="Parameters">Elements of its weight and bias.</param>
internal sealed record OperatorCost(int Index, string Operator, string Layer, long MultiplyAccumulates, long NonzeroMultiplyAccumulates, long Parameters);

/// <summary>
/// Multiply-accumulates (MACs) and parameters of every operator of a <c>.tflite</c> file, read from the file alone: its
/// tensors' shapes and weights. The file is what runs (BatchNorm folded, activations fused), and it is all that
/// <c>dotnet prune profile</c> has, so this one place serves the build's report, the sweep and the tool. Only
/// operators with weights multiply-accumulate: CONV_2D (output positions × kernel × input channels per output channel),
/// DEPTHWISE_CONV_2D (output elements × kernel) and FULLY_CONNECTED (batch × units × inputs); pooling, reshapes,
/// activations and (de)quantization count 0.
/// </summary>
internal static class OperatorCosts
{
    /// <summary>One row per operator, in execution order.</summary>
    public static IReadOnlyList<OperatorCost> Of(TfLiteModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        // A sparse weight that is not read directly reaches its operator through a DENSIFY op: trace it back.
        var densified = Sources(model, "DENSIFY");
        // A block layout pads a FULLY_CONNECTED weight with zero columns, and a PAD op its input: the layer is the unpadded one.
        var padded = Sources(model, "PAD");
        return model.Operators.Select((op, index) => Cost(model, op, index, densified, padded)).ToList();
    }

    /// <summary>The input tensor of every <paramref name="name"/> operator, by its output tensor.</summary>
    private static Dictionary<int, int> Sources(TfLiteModelInfo model, string name) =>
        model.Operators.Where(o => o.Name == name && o.Inputs.Count > 0 && o.Outputs.Count > 0).ToDictionary(o => o.Outputs[0], o => o.Inputs[0]);

    private static OperatorCost Cost(TfLiteModelInfo model, TfLiteOperatorInfo op, int index, Dictionary<int, int> densified, Dictionary<int, int> padded)
    {
        var output = op.Outputs.Count > 0 ? model.Tensors[op.Outputs[0]] : null;
        var hasWeight = op.Name is "CONV_2D" or "DEPTHWISE_CONV_2D" or "FULLY_CONNECTED" && op.Inputs.Count >= 2 && op.Inputs[1] >= 0 && output is not null;
        if (!hasWeight) return new OperatorCost(index, op.Name, LayerOf(output?.Name ?? ""), 0, 0, 0);

        var weight = model.Tensors[densified.GetValueOrDefault(op.Inputs[1], op.Inputs[1])];
        var bias = op.Inputs.Count >= 3 && op.Inputs[2] >= 0 ? model.Tensors[op.Inputs[2]].ElementCount : 0;
        // The padding columns are zeros: they count as weights of neither the layer nor its nonzero MACs.
        var nonzeroWeights = (long)Math.Round(weight.ElementCount * (1 - (weight.ZeroFraction ?? 0)));
        var weights = op.Name == "FULLY_CONNECTED" && padded.TryGetValue(op.Inputs[0], out var unpadded) && weight.Shape.Count == 2
            ? (long)weight.Shape[0] * model.Tensors[unpadded].Shape[^1]
            : weight.ElementCount;
        // Every weight meets the input once per output position: per output pixel for convolutions, per sample for
        // FULLY_CONNECTED. The output channels sit on the filter's first axis, a depthwise filter's last.
        var channels = weight.Shape.Count == 0 ? 1 : Math.Max(1, op.Name == "DEPTHWISE_CONV_2D" ? weight.Shape[^1] : weight.Shape[0]);
        var positions = output!.ElementCount / channels;
        return new OperatorCost(index, op.Name, LayerOf(weight.Name), positions * weights, positions * nonzeroWeights, weights + bias);
    }

    /// <summary><c>conv1/weight</c>, <c>conv1/linear</c> and <c>conv1</c> all name layer <c>conv1</c>.</summary>
    private static string LayerOf(string tensorName) => tensorName.Split('/')[0];
}
