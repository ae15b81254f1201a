namespace Prune.Export.Graph;

/// <summary>
/// A TFLite model before serialization: one subgraph of tensors and operators in execution order, plus the
/// model-level description and metadata. <see cref="TfLiteWriter"/> turns it into the flatbuffer.
/// </summary>
internal sealed class TfLiteGraph
{
    public List<GraphTensor> Tensors { get; } = [];
    public List<GraphOperator> Operators { get; } = [];
    public int Input { get; set; } = -1;
    public int Output { get; set; } = -1;
    public string Description { get; set; } = "";
    public List<KeyValuePair<string, byte[]>> Metadata { get; } = [];

    /// <summary>Adds a tensor and returns its index.</summary>
    public int Add(GraphTensor tensor)
    {
        Tensors.Add(tensor);
        return Tensors.Count - 1;
    }

    /// <summary>Appends an operator (operators run in the order they are added).</summary>
    public void Add(GraphOperator op) => Operators.Add(op);
}

/// <summary>One tensor: a constant when <see cref="Data"/> is set, an activation otherwise.</summary>
internal sealed record GraphTensor(string Name, int[] Shape, TfLiteTensorType Type)
{
    /// <summary>Constant contents, little-endian, row-major (or the sparse values when <see cref="Sparsity"/> is set).</summary>
    public byte[]? Data { get; init; }
    public QuantizationInfo? Quantization { get; init; }
    public SparseEncoding? Sparsity { get; init; }
}

/// <summary>real = scale · (q − zero point), per tensor (one entry) or per channel along <see cref="Dimension"/>.</summary>
internal sealed record QuantizationInfo(float[] Scale, long[] ZeroPoint, int Dimension = 0);

/// <summary>One operator: inputs and outputs are tensor indices; -1 marks an omitted optional input.</summary>
internal sealed record GraphOperator(TfLiteOperator Op, int Version, int[] Inputs, int[] Outputs, OperatorOptions? Options = null);
