namespace Prune.Export;

// Values from TFLite's schema.fbs (google-ai-edge/LiteRT tflite/converter/schema/schema.fbs). Only what Prune writes
// or reads. Table fields are addressed by their slot: the field's position in the table declaration.

/// <summary>A tensor's element type (schema enum <c>TensorType</c>).</summary>
internal enum TfLiteTensorType : sbyte
{
    /// <summary>32-bit float.</summary>
    Float32 = 0,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 2,
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 3,
    /// <summary>64-bit signed integer.</summary>
    Int64 = 4,
    /// <summary>8-bit signed integer.</summary>
    Int8 = 9,
}

/// <summary>The builtin operators Prune writes (schema enum <c>BuiltinOperator</c>).</summary>
internal enum TfLiteOperator
{
    /// <summary>Element-wise sum (the join of a residual block).</summary>
    Add = 0,
    /// <summary>Average pooling.</summary>
    AveragePool2D = 1,
    /// <summary>2-D convolution.</summary>
    Conv2D = 3,
    /// <summary>Depthwise 2-D convolution.</summary>
    DepthwiseConv2D = 4,
    /// <summary>int8 to float.</summary>
    Dequantize = 6,
    /// <summary>Dense layer.</summary>
    FullyConnected = 9,
    /// <summary>Sigmoid.</summary>
    Logistic = 14,
    /// <summary>Max pooling.</summary>
    MaxPool2D = 17,
    /// <summary>max(x, 0).</summary>
    Relu = 19,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6 = 21,
    /// <summary>Shape change.</summary>
    Reshape = 22,
    /// <summary>Zero padding (int8: the zero point): before a FULLY_CONNECTED whose block-sparse weight was padded to
    /// whole blocks, and a symmetric padding before a VALID convolution or average pooling.</summary>
    Pad = 34,
    /// <summary>Padding with a given value: the lowest, before a VALID max pooling with symmetric padding.</summary>
    PadV2 = 60,
    /// <summary>Softmax.</summary>
    Softmax = 25,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 28,
    /// <summary>Axis permutation: NHWC to NCHW before a flatten whose Dense layer is pruned in blocks of TorchSharp's column order.</summary>
    Transpose = 39,
    /// <summary>Mean over axes (global average pooling).</summary>
    Mean = 40,
    /// <summary>float to int8.</summary>
    Quantize = 114,
    /// <summary>Sparse constant to dense tensor.</summary>
    Densify = 124,
}

/// <summary>Schema constants: union type ids, slots, enum values.</summary>
internal static class TfLiteSchema
{
    public const uint SchemaVersion = 3;
    public const string FileIdentifier = "TFL3";

    // Padding enum.
    public const sbyte PaddingSame = 0;
    public const sbyte PaddingValid = 1;

    // ActivationFunctionType enum.
    public const sbyte ActivationNone = 0;
    public const sbyte ActivationRelu = 1;
    public const sbyte ActivationRelu6 = 3;

    // BuiltinOptions union: 1-based position in the union declaration.
    public const byte Conv2DOptions = 1;
    public const byte DepthwiseConv2DOptions = 2;
    public const byte Pool2DOptions = 5;
    public const byte FullyConnectedOptions = 8;
    public const byte SoftmaxOptions = 9;
    public const byte AddOptions = 11;
    public const byte ReshapeOptions = 17;
    public const byte ReducerOptions = 27;

    // DimensionType enum.
    public const sbyte DimensionDense = 0;
    public const sbyte DimensionSparseCsr = 1;

    // SparseIndexVector union.
    public const byte Int32Vector = 1;
    public const byte Uint16Vector = 2;
    public const byte Uint8Vector = 3;

    // Table slots.
    public static class Model { public const int Version = 0, OperatorCodes = 1, Subgraphs = 2, Description = 3, Buffers = 4, Metadata = 6, SignatureDefs = 7, Count = 8; }
    public static class OperatorCode { public const int DeprecatedBuiltinCode = 0, Version = 2, BuiltinCode = 3, Count = 4; }
    public static class SubGraph { public const int Tensors = 0, Inputs = 1, Outputs = 2, Operators = 3, Name = 4, Count = 5; }
    public static class Tensor { public const int Shape = 0, Type = 1, Buffer = 2, Name = 3, Quantization = 4, Sparsity = 6, Count = 7; }
    public static class Quantization { public const int Min = 0, Max = 1, Scale = 2, ZeroPoint = 3, QuantizedDimension = 6, Count = 7; }
    public static class Sparsity { public const int TraversalOrder = 0, BlockMap = 1, DimMetadata = 2, Count = 3; }
    public static class DimensionMetadata { public const int Format = 0, DenseSize = 1, SegmentsType = 2, Segments = 3, IndicesType = 4, Indices = 5, Count = 6; }
    public static class IndexVector { public const int Values = 0, Count = 1; }
    public static class Operator { public const int OpcodeIndex = 0, Inputs = 1, Outputs = 2, OptionsType = 3, Options = 4, Count = 5; }
    public static class Buffer { public const int Data = 0, Count = 1; }
    public static class Metadata { public const int Name = 0, Buffer = 1, Count = 2; }
    public static class TensorMap { public const int Name = 0, TensorIndex = 1, Count = 2; }
    public static class SignatureDef { public const int Inputs = 0, Outputs = 1, SignatureKey = 2, SubgraphIndex = 4, Count = 5; }
}
