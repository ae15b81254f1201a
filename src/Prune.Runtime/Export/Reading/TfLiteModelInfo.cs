namespace Prune.Export;

/// <summary>What a <c>.tflite</c> file holds, as <see cref="TfLiteReader"/> reads it.</summary>
/// <param name="SchemaVersion">The schema version (3).</param>
/// <param name="Description">The model description.</param>
/// <param name="Operators">The main subgraph's operators, in execution order.</param>
/// <param name="Tensors">The main subgraph's tensors.</param>
/// <param name="Inputs">Indices of the subgraph's input tensors.</param>
/// <param name="Outputs">Indices of the subgraph's output tensors.</param>
/// <param name="BufferSizes">The byte size of every buffer; buffer 0 is the empty sentinel.</param>
/// <param name="Signatures">The signature defs.</param>
/// <param name="Metadata">Metadata entries whose buffers hold UTF-8 text, by name.</param>
/// <param name="FileSize">The file's size in bytes.</param>
internal sealed record TfLiteModelInfo(
    uint SchemaVersion,
    string Description,
    IReadOnlyList<TfLiteOperatorInfo> Operators,
    IReadOnlyList<TfLiteTensorInfo> Tensors,
    IReadOnlyList<int> Inputs,
    IReadOnlyList<int> Outputs,
    IReadOnlyList<long> BufferSizes,
    IReadOnlyList<TfLiteSignatureInfo> Signatures,
    IReadOnlyDictionary<string, string> Metadata,
    long FileSize);

/// <summary>One operator.</summary>
/// <param name="Name">The builtin operator's schema name, e.g. <c>CONV_2D</c>.</param>
/// <param name="BuiltinCode">The builtin operator code.</param>
/// <param name="Version">The operator version.</param>
/// <param name="Inputs">Input tensor indices (-1 for an omitted optional input).</param>
/// <param name="Outputs">Output tensor indices.</param>
internal sealed record TfLiteOperatorInfo(string Name, int BuiltinCode, int Version, IReadOnlyList<int> Inputs, IReadOnlyList<int> Outputs);

/// <summary>One tensor.</summary>
/// <param name="Index">Its index in the subgraph.</param>
/// <param name="Name">Its name.</param>
/// <param name="Shape">Its (dense) shape.</param>
/// <param name="Type">Its element type.</param>
/// <param name="Buffer">Its buffer index; 0 for activations.</param>
/// <param name="ByteSize">Bytes of constant data stored for it (0 for activations).</param>
/// <param name="IsSparse">Whether it is stored with SparsityParameters.</param>
/// <param name="ZeroFraction">For constants: the fraction of the dense tensor's elements that are exactly zero.</param>
/// <param name="Quantization">Its quantization, or null for a float tensor.</param>
internal sealed record TfLiteTensorInfo(int Index, string Name, IReadOnlyList<int> Shape, TfLiteTensorType Type, int Buffer, long ByteSize,
    bool IsSparse, double? ZeroFraction, TfLiteQuantizationInfo? Quantization)
{
    /// <summary>The raw constant data (sparse: only the stored values); empty for activations.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>For a sparse tensor, the width of its 1×w blocks, 1 without blocks (CSR); 0 for a dense one.</summary>
    public int BlockWidth { get; init; }

    /// <summary>How its constant data is stored: <c>dense</c>, <c>CSR</c> or <c>1x4 blocks</c>.</summary>
    public string Layout => !IsSparse ? "dense" : BlockWidth > 1 ? $"1x{BlockWidth} blocks" : "CSR";

    /// <summary>Elements of the dense tensor.</summary>
    public long ElementCount => Shape.Aggregate(1L, (p, d) => p * d);
}

/// <summary>real = scale · (q − zero point), per tensor or per channel along <paramref name="Dimension"/>.</summary>
/// <param name="Scale">Scales.</param>
/// <param name="ZeroPoint">Zero points.</param>
/// <param name="Dimension">The quantized dimension for per-channel parameters.</param>
internal sealed record TfLiteQuantizationInfo(IReadOnlyList<float> Scale, IReadOnlyList<long> ZeroPoint, int Dimension);

/// <summary>A signature def: named inputs and outputs mapped to tensor indices.</summary>
/// <param name="Key">The signature key, e.g. <c>serving_default</c>.</param>
/// <param name="Inputs">Input names to tensor indices.</param>
/// <param name="Outputs">Output names to tensor indices.</param>
internal sealed record TfLiteSignatureInfo(string Key, IReadOnlyDictionary<string, int> Inputs, IReadOnlyDictionary<string, int> Outputs);
