using Google.Protobuf;
using Onnx;
using Prune.Specs;
using Prune.Specs.Rules;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Prune.Export.Onnx;

/// <summary>
/// Turns the lowered ops (the description the .tflite writer reads too) into an ONNX graph. Lowered ops keep
/// TFLite's layouts; ONNX computes in NCHW, so this writer moves each weight into ONNX's layout (filters
/// [out, in/group, kh, kw]) and, for a flatten in (h, w, c) order, puts the NHWC order back with one Transpose in
/// front of it, so the dense layer after it keeps the lowered columns.
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly GraphProto _graph = new();
    private readonly ModelSpec _spec;
    private bool _hasRelu6Bounds;

    private OnnxGraphWriter(ModelSpec spec) => _spec = spec;

    public static GraphProto Write(ModelSpec spec, IReadOnlyList<LoweredOp> ops)
    {
        if (spec.InputShape.Rank is not (1 or 3))
            throw new ExportException($"Tensors of shape {spec.InputShape} cannot be exported: Prune writes [C, H, W] images and [F] feature vectors.");
        var writer = new OnnxGraphWriter(spec);
        writer._graph.Name = spec.Name;
        writer._graph.Input.Add(ValueInfo(OnnxExporter.InputName, spec.InputShape));
        // The value that holds each lowered layer's output: a node reads the values of the layers it reads.
        var valueOf = new Dictionary<int, string> { [LayerGraph.ModelInput] = OnnxExporter.InputName };
        var current = OnnxExporter.InputName;
        foreach (var op in ops)
        {
            var reads = op.Reads.Select(layer => valueOf[layer]).ToArray();
            var computed = op switch
            {
                ConvOp c => writer.Conv(c, reads[0]),
                DenseOp d => writer.Dense(d, reads[0]),
                PoolOp p => writer.Pool(p, reads[0]),
                MeanOp m => writer.Mean(m, reads[0]),
                FlattenOp f => writer.Flatten(f, reads[0]),
                AddOp a => writer.Node("Add", a.Name, [reads[0], reads[1]], ComputedName(a)).Output[0],
                ActivationOp => reads[0],
                _ => throw new InvalidOperationException($"unhandled {op.GetType().Name}"),
            };
            current = valueOf[op.OutputLayer] = writer.Activate(op.Name, op.Activation, computed);
        }
        writer.Probabilities(current);
        writer._graph.Output.Add(ValueInfo(OnnxExporter.OutputName, spec.OutputShape));
        return writer._graph;
    }

    private string Conv(ConvOp c, string input)
    {
        // Lowered filters: [out, kh, kw, in] for CONV_2D, [1, kh, kw, in·multiplier] for DEPTHWISE_CONV_2D.
        var (kh, kw) = (c.FilterShape[1], c.FilterShape[2]);
        var outputs = c.Depthwise ? c.FilterShape[3] : c.FilterShape[0];
        var weight = c.Depthwise
            ? Permute(c.Filter, c.FilterShape, [3, 0, 1, 2])     // [in·m, 1, kh, kw]: group g's outputs g·m … g·m+m−1
            : Permute(c.Filter, c.FilterShape, [0, 3, 1, 2]);    // [out, in, kh, kw]
        int[] weightShape = c.Depthwise ? [outputs, 1, kh, kw] : [outputs, c.FilterShape[3], kh, kw];
        var node = Node("Conv", c.Name, [input, Initializer($"{c.Name}/weight", weightShape, weight), Initializer($"{c.Name}/bias", [outputs], c.Bias)],
            ComputedName(c));
        node.Attribute.Add(Ints("kernel_shape", kh, kw));
        node.Attribute.Add(Ints("strides", c.Stride.Height, c.Stride.Width));
        node.Attribute.Add(Padding(c.Padding, kh, kw));
        node.Attribute.Add(Int("group", c.Depthwise ? outputs / c.DepthMultiplier : 1));
        return node.Output[0];
    }

    private string Dense(DenseOp d, string input)
    {
        var node = Node("Gemm", d.Name, [input, Initializer($"{d.Name}/weight", [d.Units, d.Inputs], d.Weight), Initializer($"{d.Name}/bias", [d.Units], d.Bias)],
            ComputedName(d));
        node.Attribute.Add(Int("transB", 1));       // weight [units, inputs], as lowered
        return node.Output[0];
    }

    private string Pool(PoolOp p, string input)
    {
        // Average pooling with SAME padding excludes the padding from the mean (count_include_pad = 0), as TFLite's does;
        // with symmetric padding it counts it (PyTorch's default). Max pooling's padding never wins.
        var node = Node(p.Max ? "MaxPool" : "AveragePool", p.Name, [input], ComputedName(p));
        node.Attribute.Add(Ints("kernel_shape", p.Pool.Height, p.Pool.Width));
        node.Attribute.Add(Ints("strides", p.Stride.Height, p.Stride.Width));
        node.Attribute.Add(Padding(p.Padding, p.Pool.Height, p.Pool.Width));
        if (!p.Max && p.Padding == Prune.Padding.Symmetric) node.Attribute.Add(Int("count_include_pad", 1));
        return node.Output[0];
    }

    private string Mean(MeanOp m, string input)
    {
        var node = Node("ReduceMean", m.Name, [input], ComputedName(m));
        node.Attribute.Add(Ints("axes", 2, 3));
        node.Attribute.Add(Int("keepdims", 0));
        return node.Output[0];
    }

    private string Flatten(FlattenOp f, string input)
    {
        // ONNX's tensors are NCHW, so its flatten gives (c, h, w); the lowered op may want the (h, w, c) of a flattened
        // NHWC tensor, which the next dense layer's columns then expect.
        if (!f.ChannelsFirst)
        {
            var nhwc = Node("Transpose", $"{f.Name}/transpose", [input], $"{f.Name}/nhwc");
            nhwc.Attribute.Add(Ints("perm", 0, 2, 3, 1));
            input = nhwc.Output[0];
        }
        var node = Node("Flatten", f.Name, [input], ComputedName(f));
        node.Attribute.Add(Int("axis", 1));
        return node.Output[0];
    }

    /// <summary>The graph's output: the last value renamed when it already holds probabilities, else its softmax (or
    /// sigmoid, for a single logit). A layer that happens to be called like the output keeps its value under another name.</summary>
    private string Probabilities(string last)
    {
        if (_graph.Node.Any(n => n.Output.Contains(OnnxExporter.OutputName)))
        {
            Rename(OnnxExporter.OutputName, $"{OnnxExporter.OutputName}/layer");
            if (last == OnnxExporter.OutputName) last = $"{OnnxExporter.OutputName}/layer";
        }
        var reading = _spec.Output;
        if (reading.AreProbabilities)
        {
            Rename(last, OnnxExporter.OutputName);
            return OnnxExporter.OutputName;
        }
        var single = reading.IsBinary;
        var node = Node(single ? "Sigmoid" : "Softmax", $"{OnnxExporter.OutputName}/{(single ? "sigmoid" : "softmax")}", [last], OnnxExporter.OutputName);
        if (!single) node.Attribute.Add(Int("axis", 1));
        return OnnxExporter.OutputName;
    }

    private void Rename(string value, string name)
    {
        foreach (var node in _graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++) if (node.Input[i] == value) node.Input[i] = name;
            for (var i = 0; i < node.Output.Count; i++) if (node.Output[i] == value) node.Output[i] = name;
        }
    }

    /// <summary>The name of what an op computes: the layer's, or <c>name/linear</c> when an activation node follows.</summary>
    private static string ComputedName(LoweredOp op) => op.Activation == Activation.None ? op.Name : $"{op.Name}/linear";

    /// <summary>The activation as its own node (ONNX fuses nothing into Conv or Gemm); softmax runs over axis 1, the
    /// units or channels, as the TorchSharp layer's does.</summary>
    private string Activate(string name, Activation activation, string input)
    {
        switch (activation)
        {
            case Activation.None:
                return input;
            case Activation.Relu6:
                Node("Clip", $"{name}/relu6", [input, .. Relu6Bounds()], name);
                return name;
            case Activation.Softmax:
                Node("Softmax", $"{name}/softmax", [input], name).Attribute.Add(Int("axis", 1));
                return name;
            default:
                var opType = activation switch
                {
                    Activation.Relu => "Relu",
                    Activation.Sigmoid => "Sigmoid",
                    Activation.Tanh => "Tanh",
                    _ => throw new InvalidOperationException($"unhandled activation {activation}"),
                };
                Node(opType, $"{name}/{opType.ToLowerInvariant()}", [input], name);
                return name;
        }
    }

    /// <summary>Clip's min and max for ReLU6: two scalar initializers that every ReLU6 of the graph shares.</summary>
    private string[] Relu6Bounds()
    {
        if (!_hasRelu6Bounds)
        {
            _hasRelu6Bounds = true;
            Initializer("relu6/min", [], [0f]);
            Initializer("relu6/max", [], [6f]);
        }
        return ["relu6/min", "relu6/max"];
    }

    private NodeProto Node(string opType, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        _graph.Node.Add(node);
        return node;
    }

    private string Initializer(string name, int[] shape, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(TfLiteWriter.ToBytes(values)) };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float tensor of <paramref name="sample"/>'s shape behind the symbolic batch dimension (NCHW for images).</summary>
    private static ValueInfoProto ValueInfo(string name, TensorShape sample)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxExporter.BatchDimension });
        for (var d = 0; d < sample.Rank; d++) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = sample[d] });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } },
        };
    }

    /// <summary>TFLite's SAME pads the end with the odd pixel, which is ONNX's SAME_UPPER; symmetric padding is explicit
    /// <c>pads</c> [top, left, bottom, right].</summary>
    private static AttributeProto Padding(Padding padding, int windowHeight, int windowWidth)
    {
        if (padding == Prune.Padding.Symmetric)
        {
            var amounts = Layers.Padding2D.Symmetric(new Size2D(windowHeight, windowWidth));     // [left, right, top, bottom]
            return Ints("pads", amounts[2], amounts[0], amounts[3], amounts[1]);
        }
        return new()
        {
            Name = "auto_pad",
            Type = AttributeProto.Types.AttributeType.String,
            S = ByteString.CopyFromUtf8(padding == Prune.Padding.Same ? "SAME_UPPER" : "VALID"),
        };
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A 4-D row-major array with its axes reordered: result axis i is source axis <paramref name="order"/>[i].</summary>
    private static float[] Permute(float[] values, int[] shape, int[] order)
    {
        var target = order.Select(a => shape[a]).ToArray();
        var strides = new int[4];
        for (int a = 3, s = 1; a >= 0; s *= shape[a], a--) strides[a] = s;
        var result = new float[values.Length];
        var i = 0;
        for (var a = 0; a < target[0]; a++)
            for (var b = 0; b < target[1]; b++)
                for (var c = 0; c < target[2]; c++)
                    for (var d = 0; d < target[3]; d++)
                        result[i++] = values[a * strides[order[0]] + b * strides[order[1]] + c * strides[order[2]] + d * strides[order[3]]];
        return result;
    }
}
