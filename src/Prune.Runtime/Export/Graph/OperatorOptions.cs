using Google.FlatBuffers;
using S = Prune.Export.TfLiteSchema;

namespace Prune.Export.Graph;

/// <summary>A builtin operator's options table: its union type id and how to write it.</summary>
internal abstract record OperatorOptions
{
    public abstract byte UnionType { get; }
    public abstract int Write(FlatBufferBuilder b);
}

/// <summary>Conv2DOptions: padding, stride_w, stride_h, fused_activation_function, dilations (default 1).</summary>
internal sealed record Conv2DOptions(sbyte Padding, int StrideW, int StrideH, sbyte Activation) : OperatorOptions
{
    public override byte UnionType => S.Conv2DOptions;
    public override int Write(FlatBufferBuilder b)
    {
        b.StartTable(6);
        b.AddSbyte(0, Padding, 0);
        b.AddInt(1, StrideW, 0);
        b.AddInt(2, StrideH, 0);
        b.AddSbyte(3, Activation, 0);
        b.AddInt(4, 1, 1);
        b.AddInt(5, 1, 1);
        return b.EndTable();
    }
}

/// <summary>DepthwiseConv2DOptions: padding, stride_w, stride_h, depth_multiplier, fused_activation_function.</summary>
internal sealed record DepthwiseConv2DOptions(sbyte Padding, int StrideW, int StrideH, int DepthMultiplier, sbyte Activation) : OperatorOptions
{
    public override byte UnionType => S.DepthwiseConv2DOptions;
    public override int Write(FlatBufferBuilder b)
    {
        b.StartTable(7);
        b.AddSbyte(0, Padding, 0);
        b.AddInt(1, StrideW, 0);
        b.AddInt(2, StrideH, 0);
        b.AddInt(3, DepthMultiplier, 0);
        b.AddSbyte(4, Activation, 0);
        return b.EndTable();
    }
}

/// <summary>Pool2DOptions: padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function.</summary>
internal sealed record Pool2DOptions(sbyte Padding, int StrideW, int StrideH, int FilterW, int FilterH) : OperatorOptions
{
    public override byte UnionType => S.Pool2DOptions;
    public override int Write(FlatBufferBuilder b)
    {
        b.StartTable(6);
        b.AddSbyte(0, Padding, 0);
        b.AddInt(1, StrideW, 0);
        b.AddInt(2, StrideH, 0);
        b.AddInt(3, FilterW, 0);
        b.AddInt(4, FilterH, 0);
        return b.EndTable();
    }
}

/// <summary>FullyConnectedOptions: fused_activation_function (weights_format DEFAULT, keep_num_dims false).</summary>
internal sealed record FullyConnectedOptions(sbyte Activation) : OperatorOptions
{
    public override byte UnionType => S.FullyConnectedOptions;
    public override int Write(FlatBufferBuilder b)
    {
        b.StartTable(1);
        b.AddSbyte(0, Activation, 0);
        return b.EndTable();
    }
}

/// <summary>AddOptions: fused_activation_function (pot_scale_int16 left at its default; it concerns int16 only).</summary>
internal sealed record AddOptions(sbyte Activation) : OperatorOptions
{
    public override byte UnionType => S.AddOptions;
    public override int Write(FlatBufferBuilder b)
    {
        b.StartTable(1);
        b.AddSbyte(0, Activation, 0);
        return b.EndTable();
    }
}

/// <summary>SoftmaxOptions: beta.</summary>
internal sealed record SoftmaxOptions(float Beta) : OperatorOptions
{
    public override byte UnionType => S.SoftmaxOptions;
    public override int Write(FlatBufferBuilder b)
    {
        b.StartTable(1);
        b.AddFloat(0, Beta, 0);
        return b.EndTable();
    }
}

/// <summary>ReshapeOptions: new_shape (also given as the op's second input).</summary>
internal sealed record ReshapeOptions(int[] NewShape) : OperatorOptions
{
    public override byte UnionType => S.ReshapeOptions;
    public override int Write(FlatBufferBuilder b)
    {
        var shape = FlatBufferVectors.Ints(b, NewShape);
        b.StartTable(1);
        b.AddOffset(0, shape, 0);
        return b.EndTable();
    }
}

/// <summary>ReducerOptions: keep_dims.</summary>
internal sealed record ReducerOptions(bool KeepDims) : OperatorOptions
{
    public override byte UnionType => S.ReducerOptions;
    public override int Write(FlatBufferBuilder b)
    {
        b.StartTable(1);
        b.AddBool(0, KeepDims, false);
        return b.EndTable();
    }
}
