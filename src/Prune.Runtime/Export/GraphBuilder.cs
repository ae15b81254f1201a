using Prune.Export.Graph;
using Prune.Specs;
using Prune.Specs.Rules;
using S = Prune.Export.TfLiteSchema;

namespace Prune.Export;

/// <summary>
/// Builds the TFLite graph of lowered ops: float, or full-integer int8 with float QUANTIZE/DEQUANTIZE at the edges.
/// Stores each weight tensor in the layout <see cref="WeightLayouts"/> chooses.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly TfLiteGraph _graph = new();
    private readonly ModelSpec _spec;
    private readonly ExportOptions _options;
    private readonly ActivationRanges? _ranges;

    private GraphBuilder(ModelSpec spec, ExportOptions options, ActivationRanges? ranges)
    {
        _spec = spec;
        _options = options;
        _ranges = ranges;
    }

    private bool Int8 => _ranges is not null;

    public static TfLiteGraph Build(ModelSpec spec, IReadOnlyList<LoweredOp> ops, ExportOptions options, ActivationRanges? ranges)
    {
        var builder = new GraphBuilder(spec, options, ranges);
        builder.BuildOps(ops);
        return builder._graph;
    }

    private void BuildOps(IReadOnlyList<LoweredOp> ops)
    {
        var inputShape = Nhwc(_spec.InputShape);
        _graph.Input = _graph.Add(new GraphTensor(TfLiteWriter.SignatureInput, inputShape, TfLiteTensorType.Float32));
        var input = _graph.Input;
        if (Int8)
        {
            var quantized = _graph.Add(new GraphTensor("input_int8", inputShape, TfLiteTensorType.Int8) { Quantization = ActivationQuant(_ranges!.Input) });
            _graph.Add(new GraphOperator(TfLiteOperator.Quantize, 1, [input], [quantized]));
            input = quantized;
        }

        // The tensor that holds each lowered layer's output: an op reads the tensors of the layers it reads.
        var tensorOf = new Dictionary<int, int> { [LayerGraph.ModelInput] = input };
        var current = input;
        foreach (var op in ops)
        {
            var reads = op.Reads.Select(layer => tensorOf[layer]).ToArray();
            var computed = op switch
            {
                ConvOp c => Conv(c, reads[0]),
                DenseOp d => Dense(d, reads[0]),
                PoolOp p => Pool(p, reads[0]),
                MeanOp m => Mean(m, reads[0]),
                FlattenOp f => Flatten(f, reads[0]),
                AddOp a => Add(a, reads[0], reads[1]),
                ActivationOp => reads[0],
                _ => throw new InvalidOperationException($"unhandled {op.GetType().Name}"),
            };
            current = tensorOf[op.OutputLayer] = Fuses(op) ? computed : Activate(op, computed);
        }

        if (Int8)
        {
            var output = _graph.Add(new GraphTensor(TfLiteWriter.SignatureOutput, _graph.Tensors[current].Shape, TfLiteTensorType.Float32));
            _graph.Add(new GraphOperator(TfLiteOperator.Dequantize, 2, [current], [output]));
            current = output;
        }
        else
        {
            _graph.Tensors[current] = _graph.Tensors[current] with { Name = TfLiteWriter.SignatureOutput };
        }
        _graph.Output = current;
    }

    private int Conv(ConvOp c, int input)
    {
        var outputShape = Nhwc(_spec.Layers[c.OutputLayer].OutputShape);
        var (filter, filterQuant, bias) = Weights(c.Name, c.Filter, c.FilterShape, c.Bias, c.OutputAxis, input);
        var output = OutputTensor(c, outputShape);
        if (c.Padding == Padding.Symmetric) input = PadSymmetric(c.Name, input, c.FilterShape[1], c.FilterShape[2], lowest: false);
        var pad = Pad(c.Padding);
        var (weight, _) = StoreWeight(c.Name, filter, filterQuant, fullyConnected: false);
        GraphOperator op = c.Depthwise
            ? new(TfLiteOperator.DepthwiseConv2D, Int8 ? 3 : 1, [input, weight, bias], [output],
                new DepthwiseConv2DOptions(pad, c.Stride.Width, c.Stride.Height, c.DepthMultiplier, Fused(c)))
            : new(TfLiteOperator.Conv2D, Int8 ? 3 : 1, [input, weight, bias], [output],
                new Conv2DOptions(pad, c.Stride.Width, c.Stride.Height, Fused(c)));
        _graph.Add(op);
        return output;
    }

    private int Dense(DenseOp d, int input)
    {
        var (weightTensor, weightQuant, bias) = Weights(d.Name, d.Weight, [d.Units, d.Inputs], d.Bias, axis: null, input);
        var output = OutputTensor(d, [1, d.Units]);
        var (weight, stored) = StoreWeight(d.Name, weightTensor, weightQuant, fullyConnected: true);
        // A block layout pads the weight with zero columns up to whole blocks; zeros padded onto the input meet them.
        if (stored.Columns > d.Inputs) input = PadColumns(d.Name, input, stored.Columns);
        // Sparse FULLY_CONNECTED weights are honoured from op version 8 on; at version 1 LiteRT computes garbage.
        var version = stored.Sparsity is not null ? 8 : Int8 ? 4 : 1;
        _graph.Add(new GraphOperator(TfLiteOperator.FullyConnected, version, [input, weight, bias], [output], new FullyConnectedOptions(Fused(d))));
        return output;
    }

    /// <summary>A PAD op widening a [1, n] input to [1, <paramref name="columns"/>] with zeros (int8: the zero point, which is 0 in real terms).</summary>
    private int PadColumns(string name, int input, int columns)
    {
        var source = _graph.Tensors[input];
        var paddings = _graph.Add(new GraphTensor($"{name}/paddings", [2, 2], TfLiteTensorType.Int32) { Data = TfLiteWriter.ToBytes([0, 0, 0, columns - source.Shape[1]]) });
        var padded = _graph.Add(source with { Name = $"{name}/padded_input", Shape = [1, columns], Data = null });
        _graph.Add(new GraphOperator(TfLiteOperator.Pad, Int8 ? 2 : 1, [input, paddings], [padded]));
        return padded;
    }

    private int Pool(PoolOp p, int input)
    {
        var shape = Nhwc(_spec.Layers[p.OutputLayer].OutputShape);
        // int8 pooling keeps its input's scale and zero point.
        var output = _graph.Add(_graph.Tensors[input] with { Name = ComputedName(p), Shape = shape, Data = null });
        // Max pooling pads with the lowest value, so that padding never wins; average pooling with zeros, which it counts.
        if (p.Padding == Padding.Symmetric) input = PadSymmetric(p.Name, input, p.Pool.Height, p.Pool.Width, lowest: p.Max);
        var pad = Pad(p.Padding);
        _graph.Add(new GraphOperator(p.Max ? TfLiteOperator.MaxPool2D : TfLiteOperator.AveragePool2D, Int8 ? 2 : 1, [input], [output],
            new Pool2DOptions(pad, p.Stride.Width, p.Stride.Height, p.Pool.Width, p.Pool.Height)));
        return output;
    }

    /// <summary>
    /// TFLite's SAME pads the odd pixel after only and it has no symmetric mode, so symmetric padding is an op of its
    /// own before the VALID op: PAD with zeros (int8: the zero point, real 0), or PADV2 with the lowest value the
    /// tensor holds (float's lowest, int8's −128) for max pooling.
    /// </summary>
    private int PadSymmetric(string name, int input, int windowHeight, int windowWidth, bool lowest)
    {
        var source = _graph.Tensors[input];
        var amounts = Layers.Padding2D.Symmetric(new Size2D(windowHeight, windowWidth));
        int left = (int)amounts[0], right = (int)amounts[1], top = (int)amounts[2], bottom = (int)amounts[3];
        if (amounts.All(a => a == 0)) return input;     // a 1x1 (or 2x2) window pads nothing
        var paddings = _graph.Add(new GraphTensor($"{name}/paddings", [4, 2], TfLiteTensorType.Int32)
        {
            Data = TfLiteWriter.ToBytes([0, 0, top, bottom, left, right, 0, 0]),
        });
        int[] shape = [source.Shape[0], source.Shape[1] + top + bottom, source.Shape[2] + left + right, source.Shape[3]];
        var padded = _graph.Add(source with { Name = $"{name}/padded_input", Shape = shape, Data = null });
        if (!lowest)
        {
            _graph.Add(new GraphOperator(TfLiteOperator.Pad, Int8 ? 2 : 1, [input, paddings], [padded]));
            return padded;
        }
        var value = _graph.Add(Int8
            ? new GraphTensor($"{name}/padding_value", [1], TfLiteTensorType.Int8) { Data = TfLiteWriter.ToBytes(new[] { sbyte.MinValue }), Quantization = source.Quantization }
            : new GraphTensor($"{name}/padding_value", [1], TfLiteTensorType.Float32) { Data = TfLiteWriter.ToBytes([float.MinValue]) });
        _graph.Add(new GraphOperator(TfLiteOperator.PadV2, Int8 ? 2 : 1, [input, paddings, value], [padded]));
        return padded;
    }

    /// <summary>The TFLite padding of an op: symmetric padding has become a PAD before it, so the op itself is VALID.</summary>
    private static sbyte Pad(Padding padding) => padding == Padding.Same ? S.PaddingSame : S.PaddingValid;

    /// <summary>ADD; int8 rescales each input from its own scale and zero point to the output's.</summary>
    private int Add(AddOp a, int input, int shortcut)
    {
        var output = OutputTensor(a, _graph.Tensors[input].Shape);
        _graph.Add(new GraphOperator(TfLiteOperator.Add, Int8 ? 2 : 1, [input, shortcut], [output], new AddOptions(Fused(a))));
        return output;
    }

    private int Mean(MeanOp m, int input)
    {
        var shape = Nhwc(_spec.Layers[m.OutputLayer].OutputShape);
        var axes = _graph.Add(new GraphTensor($"{m.Name}/axes", [2], TfLiteTensorType.Int32) { Data = TfLiteWriter.ToBytes([1, 2]) });
        var output = OutputTensor(m, shape);
        _graph.Add(new GraphOperator(TfLiteOperator.Mean, Int8 ? 2 : 1, [input, axes], [output], new ReducerOptions(KeepDims: false)));
        return output;
    }

    private int Flatten(FlattenOp f, int input)
    {
        if (f.ChannelsFirst) input = Transpose($"{f.Name}/nchw", input, [0, 3, 1, 2]);
        int[] shape = [1, f.Count];
        var newShape = _graph.Add(new GraphTensor($"{f.Name}/shape", [2], TfLiteTensorType.Int32) { Data = TfLiteWriter.ToBytes(shape) });
        // A reshape keeps its input's scale and zero point.
        var output = _graph.Add(_graph.Tensors[input] with { Name = ComputedName(f), Shape = shape, Data = null });
        _graph.Add(new GraphOperator(TfLiteOperator.Reshape, 1, [input, newShape], [output], new ReshapeOptions(shape)));
        return output;
    }

    /// <summary>TRANSPOSE of <paramref name="input"/> by <paramref name="permutation"/>, keeping its scale and zero point.</summary>
    private int Transpose(string name, int input, int[] permutation)
    {
        var tensor = _graph.Tensors[input];
        var perm = _graph.Add(new GraphTensor($"{name}/perm", [permutation.Length], TfLiteTensorType.Int32) { Data = TfLiteWriter.ToBytes(permutation) });
        var output = _graph.Add(tensor with { Name = name, Shape = permutation.Select(axis => tensor.Shape[axis]).ToArray(), Data = null });
        _graph.Add(new GraphOperator(TfLiteOperator.Transpose, Int8 ? 2 : 1, [input, perm], [output]));
        return output;
    }

    /// <summary>Whether the op's TFLite form applies its activation itself: convolutions, FULLY_CONNECTED and ADD fuse ReLU and ReLU6.</summary>
    private static bool Fuses(LoweredOp op) =>
        op.Activation == Prune.Activation.None || (op is ConvOp or DenseOp or AddOp && op.Activation is Prune.Activation.Relu or Prune.Activation.Relu6);

    /// <summary>The name of what an op computes: the layer's, or <c>name/linear</c> when its activation follows as an op of its own.</summary>
    private static string ComputedName(LoweredOp op) => Fuses(op) ? op.Name : $"{op.Name}/linear";

    /// <summary>What a computing op writes: float, or int8 calibrated on the layer's output (on what it computes before
    /// its activation, when the activation follows as an op of its own).</summary>
    private int OutputTensor(LoweredOp op, int[] shape)
    {
        if (!Int8) return _graph.Add(new GraphTensor(ComputedName(op), shape, TfLiteTensorType.Float32));
        var range = Fuses(op) ? _ranges!.Output[op.OutputLayer] : _ranges!.PreActivation[op.OutputLayer];
        return _graph.Add(new GraphTensor(ComputedName(op), shape, TfLiteTensorType.Int8) { Quantization = ActivationQuant(range) });
    }

    /// <summary>The op's activation as an op of its own after <paramref name="input"/>.</summary>
    private int Activate(LoweredOp op, int input)
    {
        var activation = op.Activation;
        // TFLite's int8 kernels fix these output scales: [0, 1) in 1/256 steps for softmax and logistic, [−1, 1) in 1/128 for tanh.
        var quant = activation switch
        {
            Prune.Activation.Tanh => new QuantizationInfo([1f / 128], [0]),
            Prune.Activation.Sigmoid or Prune.Activation.Softmax => new QuantizationInfo([1f / 256], [-128]),
            _ => Int8 ? ActivationQuant(_ranges!.Output[op.OutputLayer]) : null,
        };
        var output = _graph.Add(new GraphTensor(op.Name, _graph.Tensors[input].Shape, Int8 ? TfLiteTensorType.Int8 : TfLiteTensorType.Float32) { Quantization = Int8 ? quant : null });
        var version = Int8 ? 2 : 1;
        _graph.Add(activation switch
        {
            Prune.Activation.Softmax => new GraphOperator(TfLiteOperator.Softmax, version, [input], [output], new SoftmaxOptions(1f)),
            Prune.Activation.Sigmoid => new GraphOperator(TfLiteOperator.Logistic, version, [input], [output]),
            Prune.Activation.Tanh => new GraphOperator(TfLiteOperator.Tanh, version, [input], [output]),
            Prune.Activation.Relu => new GraphOperator(TfLiteOperator.Relu, version, [input], [output]),
            Prune.Activation.Relu6 => new GraphOperator(TfLiteOperator.Relu6, version, [input], [output]),
            _ => throw new InvalidOperationException($"unhandled activation {activation}"),
        });
        return output;
    }

    /// <summary>The weight as a tensor (not yet added), its quantization, and the bias tensor (added).</summary>
    private (GraphTensor Weight, QuantizationInfo? Quant, int Bias) Weights(string name, float[] weight, int[] shape, float[] bias, int? axis, int input)
    {
        if (!Int8)
        {
            var biasTensor = _graph.Add(new GraphTensor($"{name}/bias", [bias.Length], TfLiteTensorType.Float32) { Data = TfLiteWriter.ToBytes(bias) });
            return (new GraphTensor($"{name}/weight", shape, TfLiteTensorType.Float32) { Data = TfLiteWriter.ToBytes(weight) }, null, biasTensor);
        }
        var scales = Int8Quantization.WeightScales(weight, shape, axis);
        var quant = new QuantizationInfo(scales, new long[scales.Length], axis ?? 0);
        var inputScale = _graph.Tensors[input].Quantization!.Scale[0];
        var biasScales = scales.Select(s => inputScale * s).ToArray();
        var biasQuant = Int8Quantization.QuantizeBias(bias, inputScale, scales);
        var biasIndex = _graph.Add(new GraphTensor($"{name}/bias", [bias.Length], TfLiteTensorType.Int32)
        {
            Data = TfLiteWriter.ToBytes(biasQuant),
            Quantization = new QuantizationInfo(biasScales, new long[biasScales.Length]),
        });
        var q = Int8Quantization.QuantizeWeights(weight, shape, axis, scales);
        return (new GraphTensor($"{name}/weight", shape, TfLiteTensorType.Int8) { Data = TfLiteWriter.ToBytes(q), Quantization = quant }, quant, biasIndex);
    }

    /// <summary>
    /// Adds the weight in its chosen layout and returns the tensor the op reads: the stored weight itself, or the output
    /// of the DENSIFY op that expands it.
    /// </summary>
    private (int Tensor, StoredWeight Stored) StoreWeight(string name, GraphTensor weight, QuantizationInfo? quant, bool fullyConnected)
    {
        var stored = WeightLayouts.Choose(weight.Data!, weight.Shape, Int8, fullyConnected, _options.Storage);
        if (stored.Sparsity is null) return (_graph.Add(weight), stored);

        var tensor = _graph.Add(weight with { Shape = stored.Sparsity.Shape, Data = stored.Data, Sparsity = stored.Sparsity });
        if (!stored.Densified) return (tensor, stored);
        var densified = _graph.Add(new GraphTensor($"{name}/weight_dense", weight.Shape, weight.Type) { Quantization = quant });
        _graph.Add(new GraphOperator(TfLiteOperator.Densify, 1, [tensor], [densified]));
        return (densified, stored);
    }

    private static sbyte Fused(LoweredOp op) => !Fuses(op) ? S.ActivationNone : op.Activation switch
    {
        Prune.Activation.Relu => S.ActivationRelu,
        Prune.Activation.Relu6 => S.ActivationRelu6,
        _ => S.ActivationNone,
    };

    private static QuantizationInfo ActivationQuant((float Min, float Max) range)
    {
        var (scale, zeroPoint) = Int8Quantization.Activation(range.Min, range.Max);
        return new QuantizationInfo([scale], [zeroPoint]);
    }

    /// <summary>[C, H, W] to [1, H, W, C]; [F] to [1, F].</summary>
    private static int[] Nhwc(TensorShape shape) => shape.Rank switch
    {
        3 => [1, shape[1], shape[2], shape[0]],
        1 => [1, shape[0]],
        _ => throw new ExportException($"Tensors of shape {shape} cannot be exported: Prune writes [C, H, W] images and [F] feature vectors."),
    };
}
