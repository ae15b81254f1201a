using System.Buffers.Binary;
using System.Text;
using Prune.Export.Reading;
using S = Prune.Export.TfLiteSchema;

namespace Prune.Export;

/// <summary>Reads a <c>.tflite</c> file's structure: operators, tensors, buffers, sparsity, signatures and metadata.</summary>
internal static class TfLiteReader
{
    /// <summary>Reads <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a TFLite flatbuffer.</exception>
    public static TfLiteModelInfo Read(ReadOnlySpan<byte> file) => Read(file.ToArray());

    /// <summary>Reads <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a TFLite flatbuffer.</exception>
    public static TfLiteModelInfo Read(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < 8 || Encoding.ASCII.GetString(file, 4, 4) != S.FileIdentifier)
            throw new InvalidDataException("Not a .tflite file: the flatbuffer identifier 'TFL3' is missing.");
        try
        {
            return ReadModel(file);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"The .tflite file is truncated or corrupt: {e.Message}", e);
        }
    }

    private static TfLiteModelInfo ReadModel(byte[] file)
    {
        var model = FlatBufferView.Root(file);
        var buffers = model.Tables(S.Model.Buffers).Select(b => b.Bytes(S.Buffer.Data)).ToArray();
        var codes = model.Tables(S.Model.OperatorCodes)
            .Select(c => (Code: Math.Max(c.SByte(S.OperatorCode.DeprecatedBuiltinCode), c.Int(S.OperatorCode.BuiltinCode)), Version: c.Int(S.OperatorCode.Version, 1)))
            .ToArray();
        var subgraphs = model.Tables(S.Model.Subgraphs);
        if (subgraphs.Length == 0) throw new InvalidDataException("the model has no subgraph");
        var subgraph = subgraphs[0];
        var operators = subgraph.Tables(S.SubGraph.Operators).Select((o, i) =>
        {
            var opcode = o.UInt(S.Operator.OpcodeIndex);
            if (opcode >= codes.Length) throw new InvalidDataException($"operator {i} names operator code {opcode}, but the file lists {codes.Length}");
            var (code, version) = codes[opcode];
            return new TfLiteOperatorInfo(OperatorName(code), code, version, o.Ints(S.Operator.Inputs), o.Ints(S.Operator.Outputs));
        }).ToList();
        var tensors = subgraph.Tables(S.SubGraph.Tensors).Select((t, i) => Tensor(t, i, buffers)).ToList();

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in model.Tables(S.Model.Metadata))
        {
            var buffer = m.UInt(S.Metadata.Buffer);
            if (m.String(S.Metadata.Name) is { } name && buffer < buffers.Length) metadata[name] = Encoding.UTF8.GetString(buffers[buffer].Span);
        }
        var signatures = model.Tables(S.Model.SignatureDefs).Select(s => new TfLiteSignatureInfo(
            s.String(S.SignatureDef.SignatureKey) ?? "",
            TensorMaps(s.Tables(S.SignatureDef.Inputs)),
            TensorMaps(s.Tables(S.SignatureDef.Outputs)))).ToList();

        return new TfLiteModelInfo(model.UInt(S.Model.Version), model.String(S.Model.Description) ?? "", operators, tensors,
            subgraph.Ints(S.SubGraph.Inputs), subgraph.Ints(S.SubGraph.Outputs), buffers.Select(b => (long)b.Length).ToList(),
            signatures, metadata, file.Length);
    }

    private static Dictionary<string, int> TensorMaps(FlatBufferView[] maps) =>
        maps.ToDictionary(m => m.String(S.TensorMap.Name) ?? "", m => (int)m.UInt(S.TensorMap.TensorIndex), StringComparer.Ordinal);

    private static TfLiteTensorInfo Tensor(FlatBufferView t, int index, ReadOnlyMemory<byte>[] buffers)
    {
        var shape = t.Ints(S.Tensor.Shape);
        var type = (TfLiteTensorType)t.SByte(S.Tensor.Type);
        var buffer = (int)t.UInt(S.Tensor.Buffer);
        var data = buffer > 0 && buffer < buffers.Length ? buffers[buffer] : ReadOnlyMemory<byte>.Empty;
        var sparse = t.Has(S.Tensor.Sparsity);
        TfLiteQuantizationInfo? quantization = null;
        if (t.Table(S.Tensor.Quantization) is { } q && q.Floats(S.Quantization.Scale) is { Length: > 0 } scale)
            quantization = new TfLiteQuantizationInfo(scale, q.Longs(S.Quantization.ZeroPoint), q.Int(S.Quantization.QuantizedDimension));
        var elements = shape.Aggregate(1L, (p, d) => p * d);
        double? zeroFraction = data.Length > 0 && elements > 0 ? ZeroFraction(data.Span, type, elements) : null;
        return new TfLiteTensorInfo(index, t.String(S.Tensor.Name) ?? "", shape, type, buffer, data.Length, sparse, zeroFraction, quantization)
        {
            Data = data,
            BlockWidth = t.Table(S.Tensor.Sparsity) is { } sparsity ? BlockWidth(sparsity) : 0,
        };
    }

    /// <summary>The width of a block-sparse tensor's blocks (the dense size of its last, block dimension), or 1 without blocks.</summary>
    private static int BlockWidth(FlatBufferView sparsity)
    {
        if (sparsity.Ints(S.Sparsity.BlockMap).Length == 0) return 1;
        var dims = sparsity.Tables(S.Sparsity.DimMetadata);
        return dims.Length == 0 ? 1 : dims[^1].Int(S.DimensionMetadata.DenseSize, 1);
    }

    /// <summary>Zeros among the stored values plus the elements not stored at all (sparse tensors), over all elements.</summary>
    private static double? ZeroFraction(ReadOnlySpan<byte> data, TfLiteTensorType type, long elements)
    {
        var size = ElementSize(type);
        if (size == 0) return null;
        var stored = data.Length / size;
        long zeros = elements - stored;
        for (var i = 0; i < stored; i++)
        {
            var v = data.Slice(i * size, size);
            var isZero = type switch
            {
                TfLiteTensorType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(v) == 0f,
                TfLiteTensorType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(v) == 0,
                TfLiteTensorType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(v) == 0,
                _ => v[0] == 0,
            };
            if (isZero) zeros++;
        }
        return (double)zeros / elements;
    }

    /// <summary>Bytes per element of a tensor type; 0 when Prune does not know it.</summary>
    public static int ElementSize(TfLiteTensorType type) => type switch
    {
        TfLiteTensorType.Float32 or TfLiteTensorType.Int32 => 4,
        TfLiteTensorType.Int64 => 8,
        TfLiteTensorType.Int8 or TfLiteTensorType.UInt8 => 1,
        _ => 0,
    };

    private static string OperatorName(int code) => code switch
    {
        0 => "ADD",
        1 => "AVERAGE_POOL_2D",
        3 => "CONV_2D",
        4 => "DEPTHWISE_CONV_2D",
        6 => "DEQUANTIZE",
        9 => "FULLY_CONNECTED",
        14 => "LOGISTIC",
        17 => "MAX_POOL_2D",
        19 => "RELU",
        21 => "RELU6",
        22 => "RESHAPE",
        25 => "SOFTMAX",
        28 => "TANH",
        34 => "PAD",
        39 => "TRANSPOSE",
        40 => "MEAN",
        60 => "PADV2",
        114 => "QUANTIZE",
        124 => "DENSIFY",
        _ => $"BUILTIN_{code}",
    };
}
