using Onnx;
using Prune.Layers;
using Prune.Specs;
using Prune.Specs.Rules;

namespace Prune.Pretrained;

/// <summary>
/// Maps an ONNX file's weights to a declared model by the structure of both graphs, not by names (a CNTK export's are
/// opaque): it walks the model's layers in order, each from the file value its input is paired with, and takes the
/// file's node that reads that value and does what the layer does (Conv for a Conv2D, BatchNormalization for a
/// BatchNorm, Add for an Add, Gemm or MatMul for a Dense, the pooling for a pooling), then the node of the layer's
/// activation. Weights are checked by shape, windows by kernel, stride and padding at the file's input size. The
/// first difference is an error naming the layer, the file's node and both shapes or kinds.
/// </summary>
internal sealed class OnnxWeightMap
{
    private readonly OnnxFile _file;
    private readonly ModelSpec _spec;
    private readonly HashSet<NodeProto> _consumed = [];
    private readonly Dictionary<string, (long Height, long Width)> _sizes = new(StringComparer.Ordinal);
    private readonly List<LoadedTensor> _tensors = [];

    private OnnxWeightMap(OnnxFile file, ModelSpec spec)
    {
        _file = file;
        _spec = spec;
        if (file.InputSize is { } size) _sizes[file.Input] = size;
    }

    /// <summary>
    /// The file's tensors for the model's layers. With <paramref name="includeTop"/> false, the walk stops at the
    /// model's first Dense layer or where the file ends: the layers from there on (the head) keep their fresh weights.
    /// </summary>
    /// <exception cref="PretrainedWeightsException">The file's graph is not the model's (the first difference).</exception>
    public static PretrainedWeights Map(OnnxFile file, ModelSpec spec, bool includeTop)
    {
        var map = new OnnxWeightMap(file, spec);
        var graph = spec.Graph;
        var values = new string[spec.Layers.Count];
        var loaded = new List<string>();
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var inputs = graph.InputsOf(i).Select(source => source == LayerGraph.ModelInput ? file.Input : values[source]).ToArray();
            if (!includeTop && (layer is DenseSpec || map.Unread(inputs[0]).Count == 0)) break;
            var output = map.MatchLayer(layer, inputs);
            values[i] = map.MatchActivation(layer, output);
            loaded.Add(layer.Name);
        }
        if (loaded.Count == spec.Layers.Count && map.Unread(values[^1]).FirstOrDefault() is { } next)
        {
            throw map.Mismatch($"the model ends with layer {spec.Layers[^1].Name}, but the file goes on with node {next.Name} ({next.OpType})" +
                (includeTop ? ": to load only the layers the model has, declare [Pretrained(..., IncludeTop = false)] and end the model with its own head." : "."));
        }
        if (!includeTop && map._tensors.Count == 0)
            throw map.Mismatch($"no weight layer of {spec.Name} has weights in the file (its first layer, {spec.Layers[0].Name}, starts the head).");
        return new PretrainedWeights(map._tensors, loaded);
    }

    /// <summary>The nodes reading <paramref name="value"/> that no layer took yet.</summary>
    private List<NodeProto> Unread(string value) => _file.ReadersOf(value).Where(n => !_consumed.Contains(n)).ToList();

    private string MatchLayer(LayerSpec layer, string[] inputs) => layer switch
    {
        Conv2DSpec conv => Convolution(layer, inputs[0], conv.Filters, group: 1, conv.Kernel, conv.Stride, conv.Padding, conv.UseBias),
        DepthwiseConv2DSpec depthwise => Convolution(layer, inputs[0], layer.InputShape[0] * depthwise.DepthMultiplier, group: layer.InputShape[0],
            depthwise.Kernel, depthwise.Stride, depthwise.Padding, depthwise.UseBias),
        BatchNormSpec batchNorm => BatchNormalization(batchNorm, inputs[0]),
        AddSpec => Sum(layer, inputs),
        DenseSpec dense => Gemm(dense, inputs[0]),
        MaxPool2DSpec pool => Pool(layer, inputs[0], "MaxPool", pool.Pool, pool.Stride, pool.Padding),
        AveragePool2DSpec pool => Pool(layer, inputs[0], "AveragePool", pool.Pool, pool.Stride, pool.Padding),
        GlobalAveragePool2DSpec => GlobalPool(layer, inputs[0]),
        FlattenSpec => Optional(inputs[0], "Flatten", "Reshape") ?? inputs[0],
        DropoutSpec => Optional(inputs[0], "Dropout", "Identity") ?? inputs[0],
        _ => throw Mismatch($"layer {layer.Name}: Prune does not load {layer.Kind} layers from ONNX files."),
    };

    /// <summary>The node after a layer that applies its activation; the layer's output is that node's.</summary>
    private string MatchActivation(LayerSpec layer, string output)
    {
        if (layer.Activation == Activation.None) return output;
        var op = layer.Activation switch
        {
            Activation.Relu => "Relu",
            Activation.Relu6 => "Clip",
            Activation.Sigmoid => "Sigmoid",
            Activation.Tanh => "Tanh",
            _ => "Softmax",
        };
        var node = Unread(output).FirstOrDefault(n => n.OpType == op)
            ?? throw Mismatch($"layer {layer.Name} ({layer.Kind}) applies {layer.Activation}, but in the file {Readers(output)}, not {op}.");
        return Take(node, _sizes.GetValueOrDefault(output));
    }

    private string Convolution(LayerSpec layer, string input, int filters, int group, Size2D kernel, Size2D stride, Padding padding, bool useBias)
    {
        long[] shape = [filters, layer.InputShape[0] / group, kernel.Height, kernel.Width];
        var node = Candidate(layer, input, "Conv", n => Int(n, "group", 1) == group && _file.Weight(n, 1)!.Value.Shape.SequenceEqual(shape),
            n => $"a {LoadedTensor.Format(_file.Weight(n, 1)!.Value.Shape)} filter in {Int(n, "group", 1)} group(s)",
            $"a {LoadedTensor.Format(shape)} filter in {group} group(s)");
        CheckWindow(layer, node, input, kernel, stride, padding);
        Load(layer, node, "weight", 1);
        var hasBias = node.Input.Count > 2 && node.Input[2].Length > 0;
        if (hasBias != useBias)
        {
            throw Mismatch(hasBias
                ? $"layer {layer.Name} ({layer.Kind}) has no bias, but the file's node {node.Name} adds one: declare useBias: true."
                : $"layer {layer.Name} ({layer.Kind}) adds a bias, but the file's node {node.Name} has none: declare useBias: false.");
        }
        if (hasBias) Load(layer, node, "bias", 2);
        return Take(node, WindowOutput(node, input, kernel, stride));
    }

    private string BatchNormalization(BatchNormSpec layer, string input)
    {
        var node = Candidate(layer, input, "BatchNormalization", _ => true, _ => "", "");
        var epsilon = Float(node, "epsilon", 1e-5f);
        if (Math.Abs(epsilon - layer.Epsilon) > 1e-3 * layer.Epsilon)
            throw Mismatch($"layer {layer.Name} (BatchNorm) has epsilon {layer.Epsilon:G3}, but the file's node {node.Name} has {epsilon:G3}: declare epsilon: {epsilon:G3}.");
        Load(layer, node, "weight", 1);
        Load(layer, node, "bias", 2);
        Load(layer, node, "running_mean", 3);
        Load(layer, node, "running_var", 4);
        return Take(node, _sizes.GetValueOrDefault(input));
    }

    private string Sum(LayerSpec layer, string[] inputs)
    {
        var node = Unread(inputs[0]).FirstOrDefault(n => n.OpType is "Add" or "Sum" && n.Input.Order(StringComparer.Ordinal).SequenceEqual(inputs.Order(StringComparer.Ordinal)))
            ?? throw Mismatch($"layer {layer.Name} (Add) adds two outputs, but in the file no Add reads both ({Readers(inputs[0])}).");
        return Take(node, _sizes.GetValueOrDefault(inputs[0]));
    }

    /// <summary>Gemm (with transB 1 its weight is [units, inputs], as Dense keeps it; with 0, transposed) or MatMul
    /// ([inputs, units]) followed by an Add of the bias.</summary>
    private string Gemm(DenseSpec layer, string input)
    {
        long[] shape = [layer.Units, layer.InputShape[0]];
        bool Transposed(NodeProto n) => !(n.OpType == "Gemm" && Int(n, "transB", 0) == 1);
        long[] Stored(NodeProto n) => Transposed(n) ? [shape[1], shape[0]] : shape;
        var node = Candidate(layer, input, "Gemm", n => Int(n, "transA", 0) == 0 && _file.Weight(n, 1)!.Value.Shape.SequenceEqual(Stored(n)),
            n => $"a {LoadedTensor.Format(_file.Weight(n, 1)!.Value.Shape)} weight{(Transposed(n) ? " ([inputs, units])" : "")}",
            $"{layer.Units} units on {layer.InputShape[0]} inputs", alsoOp: "MatMul");
        var (stored, values) = _file.Weight(node, 1)!.Value;
        if (Transposed(node)) values = Transpose(values, stored[0], stored[1]);
        _tensors.Add(new LoadedTensor(layer.Name, "weight", shape, values, $"'{node.Input[1]}' of node {node.Name}"));
        var output = Take(node, null);
        var (biasNode, biasInput) = node.OpType == "Gemm" ? (node, 2)
            : (Unread(output).FirstOrDefault(n => n.OpType == "Add" && n.Input.Count == 2 && _file.IsWeight(n.Input[1])), 1);
        var hasBias = biasNode is not null && biasInput < biasNode.Input.Count && biasNode.Input[biasInput].Length > 0;
        if (hasBias != layer.UseBias)
        {
            throw Mismatch(hasBias
                ? $"layer {layer.Name} (Dense) has no bias, but the file's node {biasNode!.Name} adds one: declare useBias: true."
                : $"layer {layer.Name} (Dense) adds a bias, but the file's node {node.Name} has none: declare useBias: false.");
        }
        if (!hasBias) return output;
        Load(layer, biasNode!, "bias", biasInput);
        return ReferenceEquals(biasNode, node) ? output : Take(biasNode!, null);
    }

    private string Pool(LayerSpec layer, string input, string op, Size2D pool, Size2D stride, Padding padding)
    {
        var node = Candidate(layer, input, op, _ => true, _ => "", "");
        CheckWindow(layer, node, input, pool, stride, padding);
        return Take(node, WindowOutput(node, input, pool, stride));
    }

    /// <summary>A global average pooling: GlobalAveragePool, or an AveragePool whose window covers the file's feature map
    /// (how CNTK wrote ResNet-18's), then any Flatten or Reshape of the pooled [N, C, 1, 1] to [N, C].</summary>
    private string GlobalPool(LayerSpec layer, string input)
    {
        var size = _sizes.GetValueOrDefault(input);
        var node = Candidate(layer, input, "GlobalAveragePool",
            n => n.OpType == "GlobalAveragePool" || (Ints(n, "kernel_shape") is [var h, var w] && (h, w) == size && Ints(n, "pads").All(p => p == 0)),
            n => $"an AveragePool of {string.Join("x", Ints(n, "kernel_shape"))} over a {size.Height}x{size.Width} map", "a pool over the whole map", alsoOp: "AveragePool");
        var output = Take(node, (1, 1));
        return Optional(output, "Flatten", "Reshape", "Squeeze") ?? output;
    }

    /// <summary>Takes the first unread node of one of <paramref name="ops"/> reading <paramref name="input"/>, if any, and returns its output.</summary>
    private string? Optional(string input, params string[] ops) =>
        Unread(input).FirstOrDefault(n => ops.Contains(n.OpType)) is { } node ? Take(node, _sizes.GetValueOrDefault(input)) : null;

    /// <summary>
    /// The file's node that plays <paramref name="layer"/>: of its op, reading <paramref name="input"/>, not taken by an
    /// earlier layer, and, where a branch point has several (a residual block's convolution and its projection), the
    /// first that <paramref name="fits"/>.
    /// </summary>
    private NodeProto Candidate(LayerSpec layer, string input, string op, Func<NodeProto, bool> fits, Func<NodeProto, string> has, string wants,
        string? alsoOp = null)
    {
        var readers = Unread(input);
        if (readers.Count == 0)
            throw Mismatch($"the file ends before layer {layer.Name} ({layer.Kind}): nothing reads '{input}'. To start the layers after the file's end (the head) freshly initialized, declare [Pretrained(..., IncludeTop = false)].");
        var ofKind = readers.Where(n => n.OpType == op || n.OpType == alsoOp).ToList();
        if (ofKind.Count == 0)
            throw Mismatch($"layer {layer.Name} ({layer.Kind}) reads {Source(layer)}, but in the file {Readers(input)}, not {op}{(alsoOp is null ? "" : " or " + alsoOp)}.");
        return ofKind.FirstOrDefault(fits)
            ?? throw Mismatch($"layer {layer.Name} ({layer.Kind}) has {wants}, but the file's node {ofKind[0].Name} ({ofKind[0].OpType}) has {has(ofKind[0])}.");
    }

    /// <summary>Kernel and stride as declared, and padding that computes what the file's does at the file's input size
    /// (the size its weights were trained at): a CNTK file pads a stride-2 3x3 window 1 before and 0 after an even size,
    /// which computes what PyTorch's symmetric padding computes, and not what TensorFlow's SAME does.</summary>
    private void CheckWindow(LayerSpec layer, NodeProto node, string input, Size2D window, Size2D stride, Padding padding)
    {
        var kernel = Ints(node, "kernel_shape");
        if (kernel.Length == 0 && node.OpType == "Conv") kernel = [.. _file.Weight(node, 1)!.Value.Shape.Skip(2)];
        var strides = Ints(node, "strides") is { Length: 2 } s ? s : [1, 1];
        if (!kernel.SequenceEqual([window.Height, window.Width]) || !strides.SequenceEqual([stride.Height, stride.Width]))
        {
            throw Mismatch($"layer {layer.Name} ({layer.Kind}) has a {window} window with stride {stride}, but the file's node {node.Name} ({node.OpType}) has {string.Join("x", kernel)} with stride {string.Join("x", strides)}.");
        }
        if (Ints(node, "dilations").Any(d => d != 1) || Int(node, "ceil_mode", 0) != 0)
            throw Mismatch($"the file's node {node.Name} ({node.OpType}) for layer {layer.Name} uses dilations or ceil_mode, which Prune's layers do not have.");
        if (!_sizes.TryGetValue(input, out var size)) return;
        var filePads = FilePads(node, size, window, stride);
        var modelPads = ModelPads(padding, size, window, stride);
        if (SameWindows(size.Height, window.Height, stride.Height, filePads[0], filePads[2], modelPads[0], modelPads[2])
            && SameWindows(size.Width, window.Width, stride.Width, filePads[1], filePads[3], modelPads[1], modelPads[3])) return;
        throw Mismatch($"layer {layer.Name} ({layer.Kind}) pads a {size.Height}x{size.Width} input by {Pads(modelPads)} with Padding.{padding}, but the file's node {node.Name} pads it by {Pads(filePads)}: the weights were trained with the file's padding. {PaddingAdvice(filePads, size, window, stride)}");
    }

    /// <summary>The file's padding, [top, left, bottom, right] (ONNX's order), resolving auto_pad.</summary>
    private static long[] FilePads(NodeProto node, (long Height, long Width) size, Size2D window, Size2D stride)
    {
        var autoPad = node.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            var same = Padding2D.Amounts(Padding.Same, size.Height, size.Width, window, stride);    // [left, right, top, bottom], the odd cell after
            return autoPad == "SAME_UPPER" ? [same[2], same[0], same[3], same[1]] : [same[3], same[1], same[2], same[0]];
        }
        return Ints(node, "pads") is { Length: 4 } pads ? pads : [0, 0, 0, 0];
    }

    /// <summary>What the model's padding adds at the file's input size, [top, left, bottom, right].</summary>
    private static long[] ModelPads(Padding padding, (long Height, long Width) size, Size2D window, Size2D stride)
    {
        var pads = Padding2D.Amounts(padding, size.Height, size.Width, window, stride);    // [left, right, top, bottom]
        return [pads[2], pads[0], pads[3], pads[1]];
    }

    private static string PaddingAdvice(long[] filePads, (long Height, long Width) size, Size2D window, Size2D stride) =>
        SameWindows(size.Height, window.Height, stride.Height, filePads[0], filePads[2], window.Height / 2, window.Height / 2)
            ? "Padding.Symmetric (PyTorch's) computes what the file's does."
            : "";

    /// <summary>Whether two paddings of one axis compute the same windows: the same padding before, and as many windows
    /// (padding after that no window reaches does not matter).</summary>
    private static bool SameWindows(long size, int window, int stride, long before1, long after1, long before2, long after2) =>
        before1 == before2 && (size + before1 + after1 - window) / stride == (size + before2 + after2 - window) / stride;

    private static string Pads(long[] pads) => $"{pads[0]} top, {pads[2]} bottom, {pads[1]} left, {pads[3]} right";

    private (long, long)? WindowOutput(NodeProto node, string input, Size2D window, Size2D stride)
    {
        if (!_sizes.TryGetValue(input, out var size)) return null;
        var pads = FilePads(node, size, window, stride);
        return ((size.Height + pads[0] + pads[2] - window.Height) / stride.Height + 1, (size.Width + pads[1] + pads[3] - window.Width) / stride.Width + 1);
    }

    private void Load(LayerSpec layer, NodeProto node, string name, int input)
    {
        var (shape, values) = _file.Weight(node, input)
            ?? throw Mismatch($"the file's node {node.Name} ({node.OpType}) for layer {layer.Name} lacks its input {input} ({name}).");
        _tensors.Add(new LoadedTensor(layer.Name, name, shape, values, $"'{node.Input[input]}' of node {node.Name}"));
    }

    /// <summary>Marks <paramref name="node"/> as taken and returns its output, recording its spatial size when known.</summary>
    private string Take(NodeProto node, (long, long)? size)
    {
        _consumed.Add(node);
        var output = node.Output[0];
        if (size is { } known && known != default) _sizes[output] = known;
        return output;
    }

    private string Source(LayerSpec layer) => layer.Input ?? "the previous layer's output";

    private string Readers(string value)
    {
        var readers = Unread(value);
        return readers.Count == 0
            ? $"nothing reads '{value}' (the file ends there)"
            : $"'{value}' is read by " + string.Join(", ", readers.Select(n => $"{n.Name} ({n.OpType})"));
    }

    private PretrainedWeightsException Mismatch(string what) =>
        new(PretrainedProblem.DoesNotFit, $"The pretrained file {_file.Path} does not fit {_spec.Name}: {what}");

    private static long[] Ints(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.Ints.ToArray() ?? [];

    private static long Int(NodeProto node, string name, long fallback) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static float Float(NodeProto node, string name, float fallback) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    private static float[] Transpose(float[] values, long rows, long columns)
    {
        var result = new float[values.Length];
        for (long r = 0; r < rows; r++)
            for (long c = 0; c < columns; c++)
                result[c * rows + r] = values[r * columns + c];
        return result;
    }
}
