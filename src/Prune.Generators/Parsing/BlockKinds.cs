using System.Collections.Immutable;
using Prune.Specs.Rules;
using static System.FormattableString;

namespace Prune.Generators.Parsing;

/// <summary>One layer a block expands to: its name, kind, arguments, and the layer it reads (null: the one before it).</summary>
internal sealed record BlockLayer(string Name, LayerKind Kind, FixedArguments Arguments, string? Input);

/// <summary>What a block reads: the layer (null for the model's input), whether its declaration named it, its channels.</summary>
internal sealed record BlockInput(string? Layer, bool Named, int Channels);

/// <summary>
/// A composite block as the generator knows it: the attribute that declares it (<c>[BasicBlock]</c>) and the layers it
/// expands to, named after its field (<c>layer1_0_conv1</c>; TorchSharp's module names cannot hold dots). The expanded
/// layers are ordinary layers from then on: the same rules, shapes, diagnostics and runtime specs. Adding a block adds
/// one class here and its attribute in Prune.Runtime.
/// </summary>
internal abstract class BlockKind(string name)
{
    /// <summary>Every block, by attribute.</summary>
    public static readonly ImmutableArray<BlockKind> All = [new BasicBlock(), new InvertedResidual()];

    /// <summary>The block an attribute declares (its name without the suffix), or null when it is not one of Prune's blocks.</summary>
    public static BlockKind? Named(string attribute) => All.FirstOrDefault(k => k.Name == attribute);

    /// <summary>The attribute's name without its suffix.</summary>
    public string Name => name;

    /// <summary>
    /// Whether a block's <c>[Prune]</c> with <paramref name="pattern"/> prunes its layer of <paramref name="kind"/>: every
    /// layer with weights, except that a filter pattern prunes the filters of the layers that make channels (Conv2D,
    /// <see cref="ChannelFlow.Mixes"/>) only. The block's per-channel layers (MobileNetV2's depthwise convolution, the
    /// BatchNorms) follow the channels of the convolution before them, as the channel groups arrange, so a removed
    /// expansion filter removes the depthwise channel that reads it; the depthwise weights are not pruned on their own.
    /// </summary>
    public static bool Prunes(LayerKind kind, Pattern pattern) =>
        kind.HasWeight && (pattern.Filter is null || ChannelFlows.Of(kind.Name) == ChannelFlow.Mixes);

    /// <summary>
    /// The layers of block <paramref name="field"/> on <paramref name="input"/>, in the order they run; the last is the
    /// block's output. Empty, after <paramref name="fail"/> reports why, when the arguments allow no block.
    /// </summary>
    public IReadOnlyList<BlockLayer> Expand(string field, BlockInput input, IArguments arguments, Action<string> fail)
    {
        var repeat = arguments.Int("repeat", 1);
        if (repeat < 1)
        {
            fail(Invariant($"Layer '{field}': repeat must be 1 or more, but is {repeat}"));
            return [];
        }
        var layers = new List<BlockLayer>();
        for (var i = 0; i < repeat; i++)
        {
            var block = new Builder(Invariant($"{field}_{i}_"), input);
            // Only the first of a row has the row's stride (and changes the channels).
            if (!Build(block, i == 0 ? arguments.Int("stride", 1) : 1, arguments, input.Channels, fail)) return [];
            layers.AddRange(block.Layers);
            input = new BlockInput(block.Layers[block.Layers.Count - 1].Name, false, arguments.Int("filters", 0));
        }
        return layers;
    }

    /// <summary>Adds one block's layers to <paramref name="block"/>; false when it cannot be built (reported).</summary>
    private protected abstract bool Build(Builder block, int stride, IArguments arguments, int channels, Action<string> fail);

    /// <summary>
    /// How a block's convolutions pad, written once: as torchvision, (k-1)/2 on every side (symmetric padding), so that
    /// pretrained weights compute what they were trained with; a 1x1 convolution pads nothing. (TensorFlow's SAME gives
    /// the same shapes, but at stride 2 it puts the odd pixel at the bottom and right only: other values.)
    /// </summary>
    private static string PaddingFor(int kernel) => kernel == 1 ? "Valid" : "Symmetric";

    /// <summary>torchvision's BatchNorm: PyTorch's momentum 0.1 (Keras' 0.9) and epsilon 1e-5.</summary>
    private const double Momentum = 0.9, Epsilon = 1e-5;

    /// <summary>Collects one block's layers, each named after the block and reading the layer before it unless told.</summary>
    private protected sealed class Builder(string prefix, BlockInput input)
    {
        public List<BlockLayer> Layers { get; } = [];

        public BlockInput Input => input;

        /// <summary>The name the block gives its layer <paramref name="part"/>.</summary>
        public string Named(string part) => prefix + part;

        /// <summary>A bias-free convolution (the BatchNorm after it has the bias).</summary>
        public void Conv(string part, int filters, int kernel, int stride, string? reads = null) => Add(part, "Conv2D", reads,
            ("filters", filters), ("kernelSize", kernel), ("stride", stride), ("padding", PaddingFor(kernel)), ("activation", "None"), ("useBias", false));

        public void Depthwise(string part, int kernel, int stride) => Add(part, "DepthwiseConv2D", null,
            ("kernelSize", kernel), ("depthMultiplier", 1), ("stride", stride), ("padding", PaddingFor(kernel)), ("activation", "None"), ("useBias", false));

        public void Norm(string part, string activation = "None") => Add(part, "BatchNorm", null,
            ("momentum", Momentum), ("epsilon", Epsilon), ("activation", activation));

        /// <summary>Adds the output of <paramref name="shortcut"/> to what <paramref name="reads"/> (by default the layer before) outputs.</summary>
        public void Sum(string part, string shortcut, string activation, string? reads = null) => Add(part, "Add", reads,
            ("shortcut", shortcut), ("activation", activation));

        private void Add(string part, string kind, string? reads, params (string Name, object Value)[] arguments)
        {
            // The block's first layer reads what the block reads: named, when the declaration named it.
            reads ??= Layers.Count == 0 && input.Named ? input.Layer : null;
            Layers.Add(new BlockLayer(Named(part), LayerKind.Named(kind)!, new FixedArguments(arguments.ToDictionary(a => a.Name, a => a.Value)), reads));
        }
    }

    /// <summary>A block whose shortcut must be a layer: the model's input cannot be named.</summary>
    private protected static bool ShortcutIsALayer(Builder block, string attribute, Action<string> fail)
    {
        if (block.Input.Layer is not null) return true;
        fail(Invariant($"Layer '{block.Named("add")}': a [{attribute}] adds its input back, and its input is the model's input, which an Add cannot read; put a layer (a stem convolution) before the block"));
        return false;
    }

    /// <summary>ResNet's basic block: conv3x3-BN-ReLU, conv3x3-BN, plus the input (projected by a 1x1 conv and BN when the
    /// stride or channels change), ReLU. Layer names are torchvision's.</summary>
    private sealed class BasicBlock() : BlockKind("BasicBlock")
    {
        private protected override bool Build(Builder block, int stride, IArguments arguments, int channels, Action<string> fail)
        {
            var filters = arguments.Int("filters", 0);
            if (!ShortcutIsALayer(block, Name, fail)) return false;
            block.Conv("conv1", filters, 3, stride);
            block.Norm("bn1", "Relu");
            block.Conv("conv2", filters, 3, 1);
            block.Norm("bn2");
            if (stride == 1 && channels == filters)
            {
                block.Sum("add", block.Input.Layer!, "Relu");
                return true;
            }
            block.Conv("downsample_0", filters, 1, stride, reads: block.Input.Layer);
            block.Norm("downsample_1");
            block.Sum("add", block.Named("downsample_1"), "Relu", reads: block.Named("bn2"));
            return true;
        }
    }

    /// <summary>MobileNetV2's inverted residual: 1x1 expand-BN-ReLU6 (unless the expansion is 1), 3x3 depthwise-BN-ReLU6,
    /// 1x1 project-BN (linear), plus the input when the stride is 1 and the channels stay.</summary>
    private sealed class InvertedResidual() : BlockKind("InvertedResidual")
    {
        private protected override bool Build(Builder block, int stride, IArguments arguments, int channels, Action<string> fail)
        {
            int expansion = arguments.Int("expansion", 0), filters = arguments.Int("filters", 0);
            if (expansion < 1)
            {
                fail(Invariant($"Layer '{block.Named("expand")}': expansion must be 1 or more, but is {expansion}"));
                return false;
            }
            var addsInput = stride == 1 && channels == filters;
            if (addsInput && !ShortcutIsALayer(block, Name, fail)) return false;
            if (expansion != 1)
            {
                block.Conv("expand", channels * expansion, 1, 1);
                block.Norm("expand_bn", "Relu6");
            }
            block.Depthwise("depthwise", 3, stride);
            block.Norm("depthwise_bn", "Relu6");
            block.Conv("project", filters, 1, 1);
            block.Norm("project_bn");
            if (addsInput) block.Sum("add", block.Input.Layer!, "None");
            return true;
        }
    }
}
