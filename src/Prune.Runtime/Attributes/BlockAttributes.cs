namespace Prune;

/// <summary>
/// ResNet's basic block (He et al. 2016; torchvision's <c>BasicBlock</c>): a 3x3 convolution, BatchNorm and ReLU, a
/// second 3x3 convolution and BatchNorm, then the block's input added back and a ReLU. When the block changes the
/// stride or the channels, the input is projected first by a 1x1 convolution and a BatchNorm (torchvision's
/// <c>downsample</c>). Convolutions have no bias; BatchNorm takes torchvision's momentum and epsilon.
/// </summary>
/// <remarks>
/// The field expands to layers named after it, as torchvision names a ResNet's modules with <c>_</c> for <c>.</c>:
/// <c>layer2_0_conv1</c>, <c>layer2_0_bn1</c>, <c>layer2_0_conv2</c>, <c>layer2_0_bn2</c>, <c>layer2_0_downsample_0</c>,
/// <c>layer2_0_downsample_1</c>, <c>layer2_0_add</c>, then <c>layer2_1_…</c> for the next repetition. The field holds
/// the block's output layer (the last <c>add</c>), so <c>nameof(field)</c> names the block's output. <c>[Prune]</c> and
/// the pruning settings beside the attribute apply to every convolution of the block.
/// </remarks>
/// <param name="filters">Output channels.</param>
/// <param name="stride">Stride of the first convolution (and of the projection) of the first repetition.</param>
/// <param name="repeat">How many blocks in a row (a row of the paper's table); only the first has the stride.</param>
public sealed class BasicBlockAttribute(int filters, int stride = 1, int repeat = 1) : LayerAttribute
{
    /// <summary>Output channels.</summary>
    public int Filters { get; } = filters;
    /// <summary>Stride of the first repetition.</summary>
    public int Stride { get; } = stride;
    /// <summary>How many blocks in a row.</summary>
    public int Repeat { get; } = repeat;
}

/// <summary>
/// MobileNetV2's inverted residual block (Sandler et al. 2018; torchvision's <c>InvertedResidual</c>): a 1x1 convolution
/// that expands the channels <paramref name="expansion"/> times, BatchNorm and ReLU6 (left out when the expansion is 1),
/// a 3x3 depthwise convolution with the stride, BatchNorm and ReLU6, and a linear 1x1 projection to
/// <paramref name="filters"/> channels with a BatchNorm; the block's input is added back when the stride is 1 and the
/// channels do not change. Convolutions have no bias; BatchNorm takes torchvision's momentum and epsilon.
/// </summary>
/// <remarks>
/// The field expands to layers named after it: <c>block_0_expand</c>, <c>block_0_expand_bn</c>,
/// <c>block_0_depthwise</c>, <c>block_0_depthwise_bn</c>, <c>block_0_project</c>, <c>block_0_project_bn</c> and
/// <c>block_0_add</c> (when the input is added back), then <c>block_1_…</c> for the next repetition. The field holds
/// the block's output layer, so <c>nameof(field)</c> names the block's output. <c>[Prune]</c> and the pruning settings
/// beside the attribute apply to every convolution of the block, except that with <c>[FilterSparsity]</c> they prune the
/// filters of the expansion and the projection only: the depthwise convolution's channels are its input's, so it loses,
/// with its BatchNorm, the channels the expansion loses (or, at an expansion of 1, the layer before the block), and its
/// own weights are not pruned.
/// </remarks>
/// <param name="expansion">The expansion factor t of the paper's table.</param>
/// <param name="filters">Output channels (c).</param>
/// <param name="stride">Stride of the first repetition (s).</param>
/// <param name="repeat">How many blocks in a row (n); only the first has the stride.</param>
public sealed class InvertedResidualAttribute(int expansion, int filters, int stride = 1, int repeat = 1) : LayerAttribute
{
    /// <summary>The expansion factor.</summary>
    public int Expansion { get; } = expansion;
    /// <summary>Output channels.</summary>
    public int Filters { get; } = filters;
    /// <summary>Stride of the first repetition.</summary>
    public int Stride { get; } = stride;
    /// <summary>How many blocks in a row.</summary>
    public int Repeat { get; } = repeat;
}
