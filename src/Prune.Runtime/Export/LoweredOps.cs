using Prune.Specs;

namespace Prune.Export;

// The model after layout conversion and folding, before it becomes TFLite tensors or ONNX nodes: weights in TFLite's
// layouts (NHWC activations), BatchNorm folded in, Dropout gone. OutputLayer is the index of the model layer whose
// output this op's output equals (for calibration and output shapes); Reads are the layers whose ops' outputs it
// reads (LayerGraph.ModelInput for the model's input): a writer keeps one tensor per OutputLayer. Activation is
// applied to what the op computes, fused into it where the format allows.

internal abstract record LoweredOp(string Name, int OutputLayer, Activation Activation)
{
    /// <summary>The layers whose ops' outputs this op reads, its input first (set by <see cref="Lowering.Add"/>).</summary>
    public IReadOnlyList<int> Reads { get; init; } = [];

    /// <summary>The op with every output channel c scaled by <paramref name="scale"/>[c] and shifted by <paramref name="shift"/>[c]
    /// (a BatchNorm folded in), computing layer <paramref name="outputLayer"/>'s output with its activation; null when it cannot be.</summary>
    public virtual LoweredOp? WithOutputsScaled(float[] scale, float[] shift, int outputLayer, Activation activation) => null;

    /// <summary>b·s + t per output channel: a bias after its outputs are scaled by s and shifted by t.</summary>
    private protected static float[] ScaledBias(float[] bias, float[] scale, float[] shift) => bias.Select((b, c) => b * scale[c] + shift[c]).ToArray();

    /// <summary><paramref name="values"/> (row-major, of <paramref name="shape"/>) with every slice along <paramref name="axis"/> scaled by its factor.</summary>
    private protected static float[] ScaleAlongAxis(float[] values, int[] shape, int axis, float[] factor)
    {
        var inner = 1;
        for (var d = axis + 1; d < shape.Length; d++) inner *= shape[d];
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = values[i] * factor[i / inner % shape[axis]];
        return result;
    }
}

/// <summary>CONV_2D (filter [out, kh, kw, in]) or DEPTHWISE_CONV_2D (filter [1, kh, kw, in·multiplier]).</summary>
internal sealed record ConvOp(string Name, int OutputLayer, Activation Activation, float[] Filter, int[] FilterShape, float[] Bias,
    Size2D Stride, Padding Padding, int DepthMultiplier, bool Depthwise) : LoweredOp(Name, OutputLayer, Activation)
{
    /// <summary>The filter axis that indexes output channels.</summary>
    public int OutputAxis => Depthwise ? 3 : 0;

    public override LoweredOp WithOutputsScaled(float[] scale, float[] shift, int outputLayer, Activation activation) => this with
    {
        OutputLayer = outputLayer,
        Activation = activation,
        Filter = ScaleAlongAxis(Filter, FilterShape, OutputAxis, scale),
        Bias = ScaledBias(Bias, scale, shift),
    };
}

/// <summary>FULLY_CONNECTED, weight [units, inputs].</summary>
internal sealed record DenseOp(string Name, int OutputLayer, Activation Activation, float[] Weight, int Units, int Inputs, float[] Bias)
    : LoweredOp(Name, OutputLayer, Activation)
{
    public override LoweredOp WithOutputsScaled(float[] scale, float[] shift, int outputLayer, Activation activation) => this with
    {
        OutputLayer = outputLayer,
        Activation = activation,
        Weight = ScaleAlongAxis(Weight, [Units, Inputs], 0, scale),
        Bias = ScaledBias(Bias, scale, shift),
    };
}

/// <summary>MAX_POOL_2D or AVERAGE_POOL_2D.</summary>
internal sealed record PoolOp(string Name, int OutputLayer, Activation Activation, bool Max, Size2D Pool, Size2D Stride, Padding Padding)
    : LoweredOp(Name, OutputLayer, Activation);

/// <summary>MEAN over height and width.</summary>
internal sealed record MeanOp(string Name, int OutputLayer, Activation Activation) : LoweredOp(Name, OutputLayer, Activation);

/// <summary>RESHAPE to [1, count]: a flatten, in (h, w, c) order, or in (c, h, w) after a TRANSPOSE to NCHW when
/// <paramref name="ChannelsFirst"/> (<see cref="ExportColumnOrder"/>).</summary>
internal sealed record FlattenOp(string Name, int OutputLayer, Activation Activation, int Count, bool ChannelsFirst) : LoweredOp(Name, OutputLayer, Activation);

/// <summary>ADD of its two inputs, element by element (the join of a residual block).</summary>
internal sealed record AddOp(string Name, int OutputLayer, Activation Activation) : LoweredOp(Name, OutputLayer, Activation);

/// <summary>Only the activation, of a layer that is otherwise the identity at inference.</summary>
internal sealed record ActivationOp(string Name, int OutputLayer, Activation Activation) : LoweredOp(Name, OutputLayer, Activation);
