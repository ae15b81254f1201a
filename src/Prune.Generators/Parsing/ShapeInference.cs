using Prune.Generators.Model;

namespace Prune.Generators.Parsing;

/// <summary>
/// Shapes and parameter counts, the way the runtime's layers compute them (TensorFlow's SAME and VALID,
/// CHW order, one sample without the batch dimension). Pure arithmetic: the caller reports the failures.
/// </summary>
internal static class ShapeInference
{
    /// <summary>Output size of a window along one axis: VALID floor((in − k) / s) + 1, SAME ceil(in / s); 0 when a VALID window does not fit.</summary>
    public static int WindowOutput(int input, int window, int stride, string padding) =>
        // In long: input + stride − 1 must not overflow for sizes near int.MaxValue.
        (int)(padding == "Same"
            ? ((long)input + stride - 1) / stride
            : input < window ? 0 : ((long)input - window) / stride + 1);

    /// <summary>Parameters of a convolution or dense layer: weights plus, with a bias, one per output.</summary>
    public static long WeightParameters(long outputs, long inputsPerOutput, bool useBias) =>
        outputs * inputsPerOutput + (useBias ? outputs : 0);

    /// <summary>
    /// The weight as the pruning engine sees it, a 2-D [rows, columns] view: rows are outputs, columns are
    /// inputs · kernel height · kernel width (a depthwise kernel sees one input channel). Zero rows for a layer without weights.
    /// </summary>
    public static (long Rows, long Columns) WeightMatrix(LayerKind kind, LayerArguments arguments, EquatableArray<int> input) => kind switch
    {
        LayerKind.Conv2D => (arguments.Filters, (long)input[0] * arguments.KernelSize * arguments.KernelSize),
        LayerKind.DepthwiseConv2D => ((long)input[0] * arguments.DepthMultiplier, (long)arguments.KernelSize * arguments.KernelSize),
        LayerKind.Dense => (arguments.Units, input[0]),
        _ => (0, 0),
    };

    /// <summary>
    /// The input channels of the weight (its dimension 1): m:n groups run along them, so n must divide them. A
    /// depthwise kernel sees one input channel.
    /// </summary>
    public static long InputChannels(LayerKind kind, EquatableArray<int> input) => kind switch
    {
        LayerKind.Conv2D or LayerKind.Dense => input[0],
        LayerKind.DepthwiseConv2D => 1,
        _ => 0,
    };

    /// <summary>Whether the kind has a weight the pruner can mask.</summary>
    public static bool HasWeights(LayerKind kind) => kind is LayerKind.Conv2D or LayerKind.DepthwiseConv2D or LayerKind.Dense;
}
