using System.Buffers.Binary;
using Google.FlatBuffers;
using Prune.Export.Graph;
using S = Prune.Export.TfLiteSchema;

namespace Prune.Export;

/// <summary>
/// Serializes a <see cref="TfLiteGraph"/> as a TFLite flatbuffer: schema version 3, identifier <c>TFL3</c>, buffer 0
/// empty, constant data 16-byte aligned, both operator code fields set, and a <c>serving_default</c> signature
/// mapping <c>input</c> and <c>output</c> to the graph's input and output tensors.
/// </summary>
internal static class TfLiteWriter
{
    public const string SignatureKey = "serving_default";
    public const string SignatureInput = "input";
    public const string SignatureOutput = "output";

    public static byte[] Write(TfLiteGraph graph)
    {
        var b = new FlatBufferBuilder(1024 + graph.Tensors.Sum(t => t.Data?.Length ?? 0) * 2);

        // Buffers: 0 is the empty sentinel, then one per constant tensor, then one per metadata entry.
        var buffers = new List<int> { EmptyBuffer(b) };
        var tensorBuffer = new uint[graph.Tensors.Count];
        for (var i = 0; i < graph.Tensors.Count; i++)
        {
            if (graph.Tensors[i].Data is not { } data) continue;
            tensorBuffer[i] = (uint)buffers.Count;
            buffers.Add(DataBuffer(b, data));
        }
        var metadataBuffer = new List<uint>();
        foreach (var (_, value) in graph.Metadata)
        {
            metadataBuffer.Add((uint)buffers.Count);
            buffers.Add(DataBuffer(b, value));
        }

        var opcodes = graph.Operators.Select(o => (o.Op, o.Version)).Distinct().ToList();
        var opcodeOffsets = opcodes.Select(c => OperatorCode(b, c.Op, c.Version)).ToList();
        var tensors = graph.Tensors.Select((t, i) => Tensor(b, t, tensorBuffer[i])).ToList();
        var operators = graph.Operators.Select(o => Operator(b, o, (uint)opcodes.IndexOf((o.Op, o.Version)))).ToList();

        var subgraph = SubGraph(b, graph, tensors, operators);
        var signature = Signature(b, graph);
        var metadata = graph.Metadata.Select((m, i) => Metadata(b, m.Key, metadataBuffer[i])).ToList();

        var opcodesVector = FlatBufferVectors.Offsets(b, opcodeOffsets);
        var subgraphsVector = FlatBufferVectors.Offsets(b, [subgraph]);
        var description = b.CreateString(graph.Description).Value;
        var buffersVector = FlatBufferVectors.Offsets(b, buffers);
        var metadataVector = FlatBufferVectors.Offsets(b, metadata);
        var signaturesVector = FlatBufferVectors.Offsets(b, [signature]);

        b.StartTable(S.Model.Count);
        b.AddUint(S.Model.Version, S.SchemaVersion, 0);
        b.AddOffset(S.Model.OperatorCodes, opcodesVector, 0);
        b.AddOffset(S.Model.Subgraphs, subgraphsVector, 0);
        b.AddOffset(S.Model.Description, description, 0);
        b.AddOffset(S.Model.Buffers, buffersVector, 0);
        b.AddOffset(S.Model.Metadata, metadataVector, 0);
        b.AddOffset(S.Model.SignatureDefs, signaturesVector, 0);
        var model = b.EndTable();
        b.Finish(model, S.FileIdentifier);
        return b.SizedByteArray();
    }

    private static int EmptyBuffer(FlatBufferBuilder b)
    {
        b.StartTable(S.Buffer.Count);
        return b.EndTable();
    }

    private static int DataBuffer(FlatBufferBuilder b, byte[] data)
    {
        var vector = FlatBufferVectors.Bytes(b, data, 16);
        b.StartTable(S.Buffer.Count);
        b.AddOffset(S.Buffer.Data, vector, 0);
        return b.EndTable();
    }

    private static int OperatorCode(FlatBufferBuilder b, TfLiteOperator op, int version)
    {
        // The old byte field holds codes below 127 (PLACEHOLDER_FOR_GREATER_OP_CODES); readers take the larger of the two.
        var code = (int)op;
        b.StartTable(S.OperatorCode.Count);
        b.AddSbyte(S.OperatorCode.DeprecatedBuiltinCode, (sbyte)Math.Min(code, 127), 0);
        b.AddInt(S.OperatorCode.Version, version, 1);
        b.AddInt(S.OperatorCode.BuiltinCode, code, 0);
        return b.EndTable();
    }

    private static int Tensor(FlatBufferBuilder b, GraphTensor t, uint buffer)
    {
        var shape = FlatBufferVectors.Ints(b, t.Shape);
        var name = b.CreateString(t.Name).Value;
        var quantization = t.Quantization is { } q ? Quantization(b, q) : 0;
        var sparsity = t.Sparsity is { } s ? Sparsity(b, s) : 0;
        b.StartTable(S.Tensor.Count);
        b.AddOffset(S.Tensor.Shape, shape, 0);
        b.AddSbyte(S.Tensor.Type, (sbyte)t.Type, 0);
        b.AddUint(S.Tensor.Buffer, buffer, 0);
        b.AddOffset(S.Tensor.Name, name, 0);
        if (quantization != 0) b.AddOffset(S.Tensor.Quantization, quantization, 0);
        if (sparsity != 0) b.AddOffset(S.Tensor.Sparsity, sparsity, 0);
        return b.EndTable();
    }

    private static int Quantization(FlatBufferBuilder b, QuantizationInfo q)
    {
        var scale = FlatBufferVectors.Floats(b, q.Scale);
        var zeroPoint = FlatBufferVectors.Longs(b, q.ZeroPoint);
        b.StartTable(S.Quantization.Count);
        b.AddOffset(S.Quantization.Scale, scale, 0);
        b.AddOffset(S.Quantization.ZeroPoint, zeroPoint, 0);
        b.AddInt(S.Quantization.QuantizedDimension, q.Dimension, 0);
        return b.EndTable();
    }

    private static int Sparsity(FlatBufferBuilder b, SparseEncoding s)
    {
        // Dense leading dimensions, the last one compressed; with blocks, the block's width as a dense dimension after it.
        var rank = s.Shape.Length;
        var blocked = s.BlockWidth > 1;
        var dims = new List<int>();
        for (var d = 0; d < rank - 1; d++) dims.Add(DenseDimension(b, s.Shape[d]));
        var (segmentsType, segments) = IndexVector(b, s.Segments);
        var (indicesType, indices) = IndexVector(b, s.Indices);
        b.StartTable(S.DimensionMetadata.Count);
        b.AddSbyte(S.DimensionMetadata.Format, S.DimensionSparseCsr, 0);
        b.AddByte(S.DimensionMetadata.SegmentsType, segmentsType, 0);
        b.AddOffset(S.DimensionMetadata.Segments, segments, 0);
        b.AddByte(S.DimensionMetadata.IndicesType, indicesType, 0);
        b.AddOffset(S.DimensionMetadata.Indices, indices, 0);
        dims.Add(b.EndTable());
        if (blocked) dims.Add(DenseDimension(b, s.BlockWidth));

        var traversal = FlatBufferVectors.Ints(b, Enumerable.Range(0, dims.Count).ToArray());
        var blockMap = blocked ? FlatBufferVectors.Ints(b, [rank - 1]) : 0;
        var dimVector = FlatBufferVectors.Offsets(b, dims);
        b.StartTable(S.Sparsity.Count);
        b.AddOffset(S.Sparsity.TraversalOrder, traversal, 0);
        if (blocked) b.AddOffset(S.Sparsity.BlockMap, blockMap, 0);
        b.AddOffset(S.Sparsity.DimMetadata, dimVector, 0);
        return b.EndTable();
    }

    private static int DenseDimension(FlatBufferBuilder b, int size)
    {
        b.StartTable(S.DimensionMetadata.Count);
        b.AddSbyte(S.DimensionMetadata.Format, S.DimensionDense, 0);
        b.AddInt(S.DimensionMetadata.DenseSize, size, 0);
        return b.EndTable();
    }

    /// <summary>The narrowest index vector that holds every value: uint8, uint16 or int32.</summary>
    private static (byte Type, int Offset) IndexVector(FlatBufferBuilder b, int[] values)
    {
        var max = values.Length == 0 ? 0 : values.Max();
        int vector;
        byte type;
        if (max <= byte.MaxValue)
        {
            vector = FlatBufferVectors.Bytes(b, values.Select(v => (byte)v).ToArray(), 4);
            type = S.Uint8Vector;
        }
        else if (max <= ushort.MaxValue)
        {
            vector = FlatBufferVectors.UShorts(b, values);
            type = S.Uint16Vector;
        }
        else
        {
            vector = FlatBufferVectors.Ints(b, values);
            type = S.Int32Vector;
        }
        b.StartTable(S.IndexVector.Count);
        b.AddOffset(S.IndexVector.Values, vector, 0);
        return (type, b.EndTable());
    }

    /// <summary>Bytes the index vectors of <paramref name="s"/> take, as <see cref="IndexVector"/> writes them.</summary>
    public static int IndexBytes(SparseEncoding s) => IndexBytes(s.Segments) + IndexBytes(s.Indices);

    private static int IndexBytes(int[] values)
    {
        var max = values.Length == 0 ? 0 : values.Max();
        return values.Length * (max <= byte.MaxValue ? 1 : max <= ushort.MaxValue ? 2 : 4);
    }

    private static int Operator(FlatBufferBuilder b, GraphOperator o, uint opcode)
    {
        var inputs = FlatBufferVectors.Ints(b, o.Inputs);
        var outputs = FlatBufferVectors.Ints(b, o.Outputs);
        var options = o.Options?.Write(b) ?? 0;
        b.StartTable(S.Operator.Count);
        b.AddUint(S.Operator.OpcodeIndex, opcode, 0);
        b.AddOffset(S.Operator.Inputs, inputs, 0);
        b.AddOffset(S.Operator.Outputs, outputs, 0);
        if (o.Options is not null)
        {
            b.AddByte(S.Operator.OptionsType, o.Options.UnionType, 0);
            b.AddOffset(S.Operator.Options, options, 0);
        }
        return b.EndTable();
    }

    private static int SubGraph(FlatBufferBuilder b, TfLiteGraph graph, List<int> tensors, List<int> operators)
    {
        var tensorVector = FlatBufferVectors.Offsets(b, tensors);
        var inputs = FlatBufferVectors.Ints(b, [graph.Input]);
        var outputs = FlatBufferVectors.Ints(b, [graph.Output]);
        var operatorVector = FlatBufferVectors.Offsets(b, operators);
        var name = b.CreateString("main").Value;
        b.StartTable(S.SubGraph.Count);
        b.AddOffset(S.SubGraph.Tensors, tensorVector, 0);
        b.AddOffset(S.SubGraph.Inputs, inputs, 0);
        b.AddOffset(S.SubGraph.Outputs, outputs, 0);
        b.AddOffset(S.SubGraph.Operators, operatorVector, 0);
        b.AddOffset(S.SubGraph.Name, name, 0);
        return b.EndTable();
    }

    private static int Signature(FlatBufferBuilder b, TfLiteGraph graph)
    {
        var input = TensorMap(b, SignatureInput, (uint)graph.Input);
        var output = TensorMap(b, SignatureOutput, (uint)graph.Output);
        var inputs = FlatBufferVectors.Offsets(b, [input]);
        var outputs = FlatBufferVectors.Offsets(b, [output]);
        var key = b.CreateString(SignatureKey).Value;
        b.StartTable(S.SignatureDef.Count);
        b.AddOffset(S.SignatureDef.Inputs, inputs, 0);
        b.AddOffset(S.SignatureDef.Outputs, outputs, 0);
        b.AddOffset(S.SignatureDef.SignatureKey, key, 0);
        b.AddUint(S.SignatureDef.SubgraphIndex, 0, 0);
        return b.EndTable();
    }

    private static int TensorMap(FlatBufferBuilder b, string name, uint tensor)
    {
        var nameOffset = b.CreateString(name).Value;
        b.StartTable(S.TensorMap.Count);
        b.AddOffset(S.TensorMap.Name, nameOffset, 0);
        b.AddUint(S.TensorMap.TensorIndex, tensor, 0);
        return b.EndTable();
    }

    private static int Metadata(FlatBufferBuilder b, string name, uint buffer)
    {
        var nameOffset = b.CreateString(name).Value;
        b.StartTable(S.Metadata.Count);
        b.AddOffset(S.Metadata.Name, nameOffset, 0);
        b.AddUint(S.Metadata.Buffer, buffer, 0);
        return b.EndTable();
    }

    /// <summary>Little-endian bytes of floats, ints or sbytes, as constant buffers hold them.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] ToBytes(ReadOnlySpan<int> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] ToBytes(ReadOnlySpan<sbyte> values)
    {
        var bytes = new byte[values.Length];
        for (var i = 0; i < values.Length; i++) bytes[i] = (byte)values[i];
        return bytes;
    }
}
