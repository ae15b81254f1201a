namespace Prune;

/// <summary>
/// Prunes this layer's weights by magnitude while fine-tuning. <c>[Prune]</c> uses the schedule declared
/// on the layer or, failing that, on the model; <c>[Prune(0.5)]</c> is shorthand for a constant 50% target
/// (<see cref="ConstantSparsityAttribute"/> with tfmot's defaults). Only layers with weights (Conv2D,
/// DepthwiseConv2D, Dense) can be pruned; biases never are.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class PruneAttribute : Attribute
{
    /// <summary>Prunes with the schedule declared on the layer or the model.</summary>
    public PruneAttribute() { }

    /// <summary>Prunes to a constant target sparsity from step 0, updating the mask every 100 steps.</summary>
    /// <param name="targetSparsity">The fraction of weights set to zero, in [0, 1).</param>
    public PruneAttribute(double targetSparsity) => TargetSparsity = targetSparsity;

    /// <summary>The constant target, or null when the declared schedule applies.</summary>
    public double? TargetSparsity { get; }
}

/// <summary>
/// tfmot's <c>ConstantSparsity</c>: from <paramref name="beginStep"/> on, every <paramref name="frequency"/>
/// steps, the smallest weights are masked to reach <paramref name="targetSparsity"/>. On the model it is the
/// default for every <see cref="PruneAttribute">[Prune]</see> layer; on a layer it wins over the model's.
/// </summary>
/// <param name="targetSparsity">Fraction of zeros, in [0, 1).</param>
/// <param name="beginStep">First fine-tuning step that updates the mask.</param>
/// <param name="endStep">Last step that updates the mask; -1 for no end.</param>
/// <param name="frequency">Steps between mask updates.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field, Inherited = false)]
public sealed class ConstantSparsityAttribute(double targetSparsity, int beginStep = 0, int endStep = -1, int frequency = 100) : Attribute
{
    /// <summary>Fraction of zeros, in [0, 1).</summary>
    public double TargetSparsity { get; } = targetSparsity;
    /// <summary>First fine-tuning step that updates the mask.</summary>
    public int BeginStep { get; } = beginStep;
    /// <summary>Last step that updates the mask; -1 for no end.</summary>
    public int EndStep { get; } = endStep;
    /// <summary>Steps between mask updates.</summary>
    public int Frequency { get; } = frequency;
}

/// <summary>
/// tfmot's <c>PolynomialDecay</c>: sparsity rises from <paramref name="initialSparsity"/> to
/// <paramref name="finalSparsity"/> between <paramref name="beginStep"/> and <paramref name="endStep"/>
/// as <c>final + (initial − final)(1 − p)^power</c>, p the fraction of the way through.
/// </summary>
/// <param name="initialSparsity">Sparsity at the begin step, in [0, 1).</param>
/// <param name="finalSparsity">Sparsity from the end step on, in [0, 1).</param>
/// <param name="beginStep">First fine-tuning step that updates the mask.</param>
/// <param name="endStep">Last step that updates the mask.</param>
/// <param name="power">Exponent of the decay.</param>
/// <param name="frequency">Steps between mask updates.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field, Inherited = false)]
public sealed class PolynomialDecayAttribute(double initialSparsity, double finalSparsity, int beginStep, int endStep,
    double power = 3, int frequency = 100) : Attribute
{
    /// <summary>Sparsity at the begin step, in [0, 1).</summary>
    public double InitialSparsity { get; } = initialSparsity;
    /// <summary>Sparsity from the end step on, in [0, 1).</summary>
    public double FinalSparsity { get; } = finalSparsity;
    /// <summary>First fine-tuning step that updates the mask.</summary>
    public int BeginStep { get; } = beginStep;
    /// <summary>Last step that updates the mask.</summary>
    public int EndStep { get; } = endStep;
    /// <summary>Exponent of the decay.</summary>
    public double Power { get; } = power;
    /// <summary>Steps between mask updates.</summary>
    public int Frequency { get; } = frequency;
}

/// <summary>
/// Prunes whole blocks of <paramref name="height"/> × <paramref name="width"/> weights of the layer's weight
/// matrix ([outputs, inputs]; a convolution's [out, in·kh·kw]) instead of single weights: a block's score is the
/// average or the maximum of its magnitudes. On the model or a layer; the layer's wins.
/// </summary>
/// <param name="height">Block rows (output units).</param>
/// <param name="width">Block columns (inputs).</param>
/// <param name="pooling">How a block is scored.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field, Inherited = false)]
public sealed class BlockSparsityAttribute(int height, int width, BlockPooling pooling = BlockPooling.Average) : Attribute
{
    /// <summary>Block rows (output units).</summary>
    public int Height { get; } = height;
    /// <summary>Block columns (inputs).</summary>
    public int Width { get; } = width;
    /// <summary>How a block is scored.</summary>
    public BlockPooling Pooling { get; } = pooling;
}

/// <summary>
/// m:n structured sparsity (e.g. 2:4): in every group of <paramref name="n"/> consecutive weights along the
/// input dimension, only the <paramref name="m"/> largest magnitudes are kept. The sparsity is then
/// 1 − m/n whatever the schedule's target; the schedule still decides when masks update.
/// On the model or a layer; the layer's wins.
/// </summary>
/// <param name="m">Weights kept per group.</param>
/// <param name="n">Group size.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field, Inherited = false)]
public sealed class MByNSparsityAttribute(int m, int n) : Attribute
{
    /// <summary>Weights kept per group.</summary>
    public int M { get; } = m;
    /// <summary>Group size.</summary>
    public int N { get; } = n;
}

/// <summary>
/// Filter (channel) pruning: removes whole output channels of the layer (a Conv2D's filters, a Dense layer's units)
/// instead of single weights, ranked by <paramref name="criterion"/>; the schedule's sparsity counts channels. What
/// reads a removed channel downstream goes with it (the next BatchNorm's and DepthwiseConv2D's channel, the next
/// Conv2D's or Dense layer's inputs), and stripping builds a smaller dense model, so the exported file computes less.
/// The last layer's outputs (the classes) cannot be removed. On the model or a layer; the layer's wins. Beside a block,
/// it prunes the filters of the block's Conv2D layers; a depthwise convolution in it follows the channels of the one
/// before it and is not pruned on its own.
/// </summary>
/// <param name="criterion">How channels are ranked: L1 norm of the filter by default.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Field, Inherited = false)]
public sealed class FilterSparsityAttribute(FilterCriterion criterion = FilterCriterion.L1) : Attribute
{
    /// <summary>How channels are ranked.</summary>
    public FilterCriterion Criterion { get; } = criterion;
}
