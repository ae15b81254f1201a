using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Prune.Pretrained;

/// <summary>
/// An ONNX model read for its weights: the nodes, who reads each value, the initializers (the weights, whatever their
/// names: a CNTK export calls them <c>Parameter91</c>) and the input's spatial size. Read with the ONNX schema Prune
/// exports with (Onnx/Schema).
/// </summary>
internal sealed class OnnxFile
{
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, List<NodeProto>> _readers = new(StringComparer.Ordinal);

    private OnnxFile(string path, GraphProto graph)
    {
        Path = path;
        Nodes = graph.Node;
        _initializers = graph.Initializer.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var node in Nodes)
            foreach (var input in node.Input.Where(i => i.Length > 0 && !_initializers.ContainsKey(i)))
                (_readers.TryGetValue(input, out var list) ? list : _readers[input] = []).Add(node);
        // Older files (IR 3, CNTK's) list the initializers among the graph's inputs too: the data input is the other one.
        var data = graph.Input.FirstOrDefault(i => !_initializers.ContainsKey(i.Name))
            ?? throw new PretrainedWeightsException(PretrainedProblem.Unreadable, $"{path} has no input besides its weights: it is not a model Prune can load weights from.");
        Input = data.Name;
        var dims = data.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : 0).ToArray() ?? [];
        InputSize = dims.Length == 4 && dims[2] > 0 && dims[3] > 0 ? (dims[2], dims[3]) : null;
    }

    /// <summary>The file, as messages name it.</summary>
    public string Path { get; }

    /// <summary>The nodes, in the file's order (topological, as ONNX requires).</summary>
    public IReadOnlyList<NodeProto> Nodes { get; }

    /// <summary>The name of the graph's data input.</summary>
    public string Input { get; }

    /// <summary>The input's height and width when the file fixes them (the size the weights were trained at), else null.</summary>
    public (long Height, long Width)? InputSize { get; }

    /// <exception cref="PretrainedWeightsException">The file is missing, or not an ONNX model.</exception>
    public static OnnxFile Read(string path)
    {
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new PretrainedWeightsException(PretrainedProblem.Unreadable, $"{path} is not a readable ONNX model (truncated or corrupt): {e.Message}", e);
        }
        if (model.Graph is not { Node.Count: > 0 } graph)
            throw new PretrainedWeightsException(PretrainedProblem.Unreadable, $"{path} is not an ONNX model: it holds no graph (truncated, corrupt, or another format).");
        return new OnnxFile(path, graph);
    }

    /// <summary>The nodes that read <paramref name="value"/>, in the file's order.</summary>
    public IReadOnlyList<NodeProto> ReadersOf(string value) => _readers.TryGetValue(value, out var list) ? list : [];

    /// <summary>Whether <paramref name="value"/> is stored in the file (an initializer) rather than computed.</summary>
    public bool IsWeight(string value) => _initializers.ContainsKey(value);

    /// <summary>The weight input <paramref name="index"/> of <paramref name="node"/>, or null when the node has no such input.</summary>
    /// <exception cref="PretrainedWeightsException">The input is not an initializer, or not float32.</exception>
    public (long[] Shape, float[] Values)? Weight(NodeProto node, int index)
    {
        if (index >= node.Input.Count || node.Input[index].Length == 0) return null;
        var name = node.Input[index];
        if (!_initializers.TryGetValue(name, out var tensor))
            throw new PretrainedWeightsException(PretrainedProblem.DoesNotFit, $"{Path}: input {index} of node {node.Name} ({node.OpType}), '{name}', is computed, not stored: Prune loads weights stored in the file.");
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new PretrainedWeightsException(PretrainedProblem.DoesNotFit, $"{Path}: weight '{name}' of node {node.Name} is stored as {(TensorProto.Types.DataType)tensor.DataType}; Prune loads float32 weights.");
        var shape = tensor.Dims.ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var values = tensor.FloatData.Count > 0 ? tensor.FloatData.ToArray()
            : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();    // raw_data is little-endian, as this machine is
        if (values.Length != count)
            throw new PretrainedWeightsException(PretrainedProblem.Unreadable, $"{Path}: weight '{name}' of shape {LoadedTensor.Format(shape)} holds {values.Length} values instead of {count} (truncated or corrupt).");
        return (shape, values);
    }
}
