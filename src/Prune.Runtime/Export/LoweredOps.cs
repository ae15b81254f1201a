using Prune.Specs;

namespace Prune.Export;

// The model after layout conversion and folding, before it becomes TFLite tensors: weights in TFLite's layouts
// (NHWC activations), BatchNorm folded in, Dropout gone. OutputLayer is the index of the model layer whose output
// this op's output equals (for calibration and output shapes).

internal abstract record LoweredOp(string Name, int OutputLayer);

/// <summary>CONV_2D (filter [out, kh, kw, in]) or DEPTHWISE_CONV_2D (filter [1, kh, kw, in·multiplier]).</summary>
internal sealed record ConvOp(string Name, int OutputLayer, float[] Filter, int[] FilterShape, float[] Bias,
    Size2D Stride, Padding Padding, Activation Activation, int DepthMultiplier, bool Depthwise) : LoweredOp(Name, OutputLayer)
{
    /// <summary>The filter axis that indexes output channels.</summary>
    public int OutputAxis => Depthwise ? 3 : 0;
}

/// <summary>FULLY_CONNECTED, weight [units, inputs].</summary>
internal sealed record DenseOp(string Name, int OutputLayer, float[] Weight, int Units, int Inputs, float[] Bias,
    Activation Activation) : LoweredOp(Name, OutputLayer);

/// <summary>MAX_POOL_2D or AVERAGE_POOL_2D.</summary>
internal sealed record PoolOp(string Name, int OutputLayer, bool Max, Size2D Pool, Size2D Stride, Padding Padding) : LoweredOp(Name, OutputLayer);

/// <summary>MEAN over height and width.</summary>
internal sealed record MeanOp(string Name, int OutputLayer) : LoweredOp(Name, OutputLayer);

/// <summary>RESHAPE to [1, count] (a flatten: (h, w, c) order in TFLite).</summary>
internal sealed record FlattenOp(string Name, int OutputLayer, int Count) : LoweredOp(Name, OutputLayer);
