using Prune.Pruning;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests;

/// <summary>
/// Builds model specs layer by layer, working out shapes and parameter counts the way the generator does; also the
/// named small models the training and pruning tests share.
/// </summary>
internal sealed class TestModels
{
    /// <summary>A small CNN on MNIST-shaped input: conv 8x3x3 (relu), max pool, flatten, 10 logits.</summary>
    public static ModelSpec SmallCnn(PruningSpec? pruning = null) => Input(1, 28, 28)
        .Conv("conv", 8, 3, activation: Activation.Relu, pruning: pruning)
        .MaxPool("pool", 2)
        .Flatten("flatten")
        .Dense("logits", 10, pruning: pruning)
        .Spec("SmallCnn");

    /// <summary>Dense 16 (relu), optionally dropout 0.2, then <paramref name="outputs"/> units with the <paramref name="last"/> activation.</summary>
    public static ModelSpec Mlp(int features, int outputs, Activation last, PruningSpec? hidden = null, PruningSpec? output = null,
        bool dropout = true)
    {
        var model = Input(features).Dense("hidden", 16, Activation.Relu, hidden);
        if (dropout) model = model.Dropout("dropout", 0.2);
        return model.Dense("output", outputs, last, output).Spec("Mlp");
    }

    private readonly List<LayerSpec> _layers = [];
    private readonly TensorShape _input;
    private TensorShape _current;
    private string? _pendingInput;

    private TestModels(TensorShape input) => _input = _current = input;

    public static TestModels Input(params int[] shape) => new(new TensorShape(shape));

    public TestModels Conv(string name, int filters, int kernel, int stride = 1, Padding padding = Padding.Valid, Activation activation = Activation.None,
        PruningSpec? pruning = null, bool useBias = true)
    {
        var (h, w) = Out(_current[1], _current[2], kernel, stride, padding);
        return Add(new Conv2DSpec
        {
            Name = name,
            InputShape = _current,
            OutputShape = new(filters, h, w),
            ParameterCount = filters * (_current[0] * kernel * kernel + (useBias ? 1 : 0)),
            Filters = filters,
            Kernel = new(kernel, kernel),
            Stride = new(stride, stride),
            Padding = padding,
            Activation = activation,
            UseBias = useBias,
            Pruning = pruning,
        });
    }

    public TestModels Depthwise(string name, int multiplier, int kernel, int stride = 1, Padding padding = Padding.Valid, Activation activation = Activation.None)
    {
        var (h, w) = Out(_current[1], _current[2], kernel, stride, padding);
        var channels = _current[0] * multiplier;
        return Add(new DepthwiseConv2DSpec
        {
            Name = name,
            InputShape = _current,
            OutputShape = new(channels, h, w),
            ParameterCount = channels * (kernel * kernel + 1),
            DepthMultiplier = multiplier,
            Kernel = new(kernel, kernel),
            Stride = new(stride, stride),
            Padding = padding,
            Activation = activation,
            UseBias = true,
        });
    }

    public TestModels MaxPool(string name, int pool, int? stride = null, Padding padding = Padding.Valid)
    {
        var s = stride ?? pool;
        var (h, w) = Out(_current[1], _current[2], pool, s, padding);
        return Add(new MaxPool2DSpec { Name = name, InputShape = _current, OutputShape = new(_current[0], h, w), ParameterCount = 0, Pool = new(pool, pool), Stride = new(s, s), Padding = padding });
    }

    public TestModels AvgPool(string name, int pool, int? stride = null, Padding padding = Padding.Valid)
    {
        var s = stride ?? pool;
        var (h, w) = Out(_current[1], _current[2], pool, s, padding);
        return Add(new AveragePool2DSpec { Name = name, InputShape = _current, OutputShape = new(_current[0], h, w), ParameterCount = 0, Pool = new(pool, pool), Stride = new(s, s), Padding = padding });
    }

    public TestModels GlobalAvgPool(string name) =>
        Add(new GlobalAveragePool2DSpec { Name = name, InputShape = _current, OutputShape = new(_current[0]), ParameterCount = 0 });

    public TestModels Flatten(string name) =>
        Add(new FlattenSpec { Name = name, InputShape = _current, OutputShape = new((int)_current.ElementCount), ParameterCount = 0 });

    public TestModels Dense(string name, int units, Activation activation = Activation.None, PruningSpec? pruning = null) =>
        Add(new DenseSpec { Name = name, InputShape = _current, OutputShape = new(units), ParameterCount = units * (_current[0] + 1), Units = units, Activation = activation, UseBias = true, Pruning = pruning });

    public TestModels Dropout(string name, double rate = 0.5) =>
        Add(new DropoutSpec { Name = name, InputShape = _current, OutputShape = _current, ParameterCount = 0, Rate = rate });

    /// <summary>The next layer reads <paramref name="layer"/>'s output instead of the last layer's: a branch.</summary>
    public TestModels From(string layer)
    {
        _pendingInput = layer;
        _current = _layers.Single(l => l.Name == layer).OutputShape;
        return this;
    }

    /// <summary>Adds <paramref name="shortcut"/>'s output to the current one.</summary>
    public TestModels Add(string name, string shortcut, Activation activation = Activation.None) => Add(new AddSpec
    {
        Name = name,
        InputShape = _current,
        OutputShape = _current,
        ParameterCount = 0,
        Shortcut = shortcut,
        ShortcutShape = _layers.Single(l => l.Name == shortcut).OutputShape,
        Activation = activation,
    });

    /// <summary>A BatchNorm with Keras's defaults, or PyTorch's (<paramref name="momentum"/> 0.9, <paramref name="epsilon"/> 1e-5).</summary>
    public TestModels BatchNorm(string name, Activation activation = Activation.None, double momentum = 0.99, double epsilon = 1e-3) =>
        Add(new BatchNormSpec { Name = name, InputShape = _current, OutputShape = _current, ParameterCount = 2 * _current[0], Momentum = momentum, Epsilon = epsilon, Activation = activation });

    /// <summary>
    /// torchvision's ResNet-18 without its classifier, named as torchvision names its modules with <c>_</c> for <c>.</c>
    /// (conv1, bn1, layer1_0_conv1, layer2_0_downsample_0, …): bias-free convolutions, PyTorch's BatchNorm settings, then
    /// a global average pooling. <paramref name="padding"/> is what the 3x3 and 7x7 windows use; <paramref name="blocks"/>
    /// the basic blocks of each stage (torchvision's 2, 2, 2, 2; the ML.NET package's CNTK file has 2, 2, 2, 3).
    /// </summary>
    public static TestModels ResNet18Backbone(int size, Padding padding, params int[] blocks)
    {
        if (blocks.Length == 0) blocks = [2, 2, 2, 2];
        var model = Input(3, size, size)
            .Conv("conv1", 64, 7, stride: 2, padding: padding, useBias: false).TorchBatchNorm("bn1", Activation.Relu)
            .MaxPool("maxpool", 3, 2, padding);
        var previous = "maxpool";
        var channels = 64;
        foreach (var (stage, filters) in new[] { (1, 64), (2, 128), (3, 256), (4, 512) })
        {
            for (var block = 0; block < blocks[stage - 1]; block++)
            {
                var prefix = $"layer{stage}_{block}";
                var stride = stage > 1 && block == 0 ? 2 : 1;
                model = model
                    .Conv($"{prefix}_conv1", filters, 3, stride, padding, useBias: false).TorchBatchNorm($"{prefix}_bn1", Activation.Relu)
                    .Conv($"{prefix}_conv2", filters, 3, 1, padding, useBias: false).TorchBatchNorm($"{prefix}_bn2");
                var shortcut = previous;
                if (stride != 1 || filters != channels)
                {
                    model = model.From(previous).Conv($"{prefix}_downsample_0", filters, 1, stride, useBias: false).TorchBatchNorm($"{prefix}_downsample_1");
                    shortcut = $"{prefix}_downsample_1";
                    model = model.From($"{prefix}_bn2");
                }
                model = model.Add($"{prefix}_add", shortcut, Activation.Relu);
                previous = $"{prefix}_add";
                channels = filters;
            }
        }
        return model.GlobalAvgPool("avgpool");
    }

    private TestModels TorchBatchNorm(string name, Activation activation = Activation.None) => BatchNorm(name, activation, momentum: 0.9, epsilon: 1e-5);

    /// <summary>
    /// The model with seeded random weights, biases and BatchNorm statistics, in evaluation mode. Every value comes
    /// from a generator of its own: tests run in parallel, so torch's global generator is shared and unseeded here.
    /// </summary>
    public Model Build(string name, int seed = 7) => Seeded(Model.FromSpec(Spec(name)), seed);

    /// <summary><paramref name="model"/> with seeded random weights, biases and BatchNorm statistics, as <see cref="Build"/> gives them.</summary>
    public static Model Seeded(Model model, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var layer in model.Layers)
            {
                switch (layer)
                {
                    case WeightLayer w:
                        // Glorot-uniform, as the layer's own initializer.
                        var shape = w.Weight.shape;
                        var receptive = shape.Skip(2).Aggregate(1L, (p, d) => p * d);
                        var bound = Math.Sqrt(6.0 / ((shape[1] + shape[0]) * receptive));
                        w.Weight.uniform_(-bound, bound, generator);
                        w.Bias?.uniform_(-0.2, 0.2, generator);
                        break;
                    case Prune.Layers.BatchNormLayer bn:
                        bn.Scale.uniform_(0.5, 1.5, generator);
                        bn.Offset.uniform_(-0.3, 0.3, generator);
                        bn.RunningMean.uniform_(-0.3, 0.3, generator);
                        bn.RunningVariance.uniform_(0.5, 2.0, generator);
                        break;
                }
            }
        }
        model.eval();
        return model;
    }

    /// <summary>The spec built so far, with default training settings.</summary>
    public ModelSpec Spec(string name) =>
        new() { Name = name, TypeName = $"Tests.{name}", InputShape = _input, Layers = _layers.ToList(), Training = new TrainingSpec() };

    private TestModels Add(LayerSpec spec)
    {
        _layers.Add(spec with { Input = _pendingInput });
        _pendingInput = null;
        _current = spec.OutputShape;
        return this;
    }

    private static (int H, int W) Out(int h, int w, int window, int stride, Padding padding) => padding switch
    {
        Padding.Same => ((h + stride - 1) / stride, (w + stride - 1) / stride),
        Padding.Symmetric => ((h + 2 * ((window - 1) / 2) - window) / stride + 1, (w + 2 * ((window - 1) / 2) - window) / stride + 1),
        _ => ((h - window) / stride + 1, (w - window) / stride + 1),
    };
}

/// <summary>Magnitude pruning for tests: the smallest weights of a layer set to exactly zero.</summary>
internal static class TestPruning
{
    public static void Prune(Model model, string layerName, double sparsity)
    {
        var layer = model.Layers.OfType<WeightLayer>().Single(l => l.Spec.Name == layerName);
        using var _ = no_grad();
        var k = (long)Math.Round(sparsity * layer.Weight.numel());
        using var magnitudes = layer.Weight.abs().flatten();
        using var order = magnitudes.argsort();
        using var flat = layer.Weight.view(-1);
        flat.index_put_(tensor(0f), order.narrow(0, 0, k));
    }

    /// <summary>Zeroes whole height×width blocks of the layer's [outputs, inputs] weight view, smallest average magnitude first (the pruner's own masks).</summary>
    public static void PruneBlocks(Model model, string layerName, double sparsity, int height, int width)
    {
        var layer = model.Layers.OfType<WeightLayer>().Single(l => l.Spec.Name == layerName);
        using var _ = no_grad();
        using var mask = MaskCalculator.Magnitude(layer.Weight, sparsity, new PruningSpec(new ConstantSparsity(sparsity)) { Block = new(height, width) }, layerName);
        layer.Weight.mul_(mask);
    }

    public static long Zeros(Model model, string layerName)
    {
        var layer = model.Layers.OfType<WeightLayer>().Single(l => l.Spec.Name == layerName);
        using var zeros = layer.Weight.eq(0).sum();
        return zeros.item<long>();
    }
}
