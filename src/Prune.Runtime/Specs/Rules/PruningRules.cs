using static System.FormattableString;

namespace Prune.Specs.Rules;

/// <summary>tfmot's rules for schedules and Prune's for patterns: which values a schedule takes, and which weights a pattern fits.</summary>
internal static class PruningRules
{
    /// <summary>A sparsity is in [0, 1): 1 would remove every weight. <paramref name="owner"/> says whose it is (<c>[Prune]</c>, <c>ConstantSparsity</c>).</summary>
    public static Problem? Sparsity(string owner, string name, double value) => value >= 0 && value < 1 ? null
        : new Problem(Rule.SparsityOutOfRange, Invariant($"{owner} {name} must be in [0, 1), but is {Formats.Number(value)}; 1 would remove every weight"));

    /// <summary>
    /// tfmot's step rules (<c>pruning_schedule.py</c>): begin ≥ 0; end −1 (no end, for schedules that allow it) or at
    /// least begin; frequency ≥ 1. At most one problem with the steps and one with the frequency.
    /// </summary>
    public static IReadOnlyList<Problem> Steps(string schedule, long begin, long end, long frequency, bool allowNoEnd)
    {
        var problems = new List<Problem>();
        void Fail(string problem) => problems.Add(new Problem(Rule.InvalidScheduleSteps, Invariant($"{schedule}: {problem}")));
        if (begin < 0) Fail(Invariant($"the begin step must be 0 or more, but is {begin}"));
        else if (end == -1 && !allowNoEnd) Fail("PolynomialDecay needs an end step; -1 (no end) is only allowed for ConstantSparsity");
        else if (end != -1 && end < 0) Fail(Invariant($"the end step must be -1 (no end) or 0 or more, but is {end}"));
        else if (end != -1 && end < begin) Fail(Invariant($"the end step {end} comes before the begin step {begin}"));
        if (frequency <= 0) Fail(Invariant($"the frequency must be 1 or more steps, but is {frequency}"));
        return problems;
    }

    public static Problem? Power(double power) => power > 0 && !double.IsInfinity(power) ? null
        : new Problem(Rule.InvalidPower, Invariant($"PolynomialDecay power must be greater than 0, but is {Formats.Number(power)}"));

    /// <summary>A falling sparsity is legal (tfmot accepts it too) but is almost always the two arguments swapped: a warning.</summary>
    public static Problem? Decreasing(double initial, double final) => initial <= final ? null : new Problem(Rule.DecreasingSparsity, Invariant(
        $"PolynomialDecay goes down from sparsity {Formats.Number(initial)} to {Formats.Number(final)}, so fewer weights are pruned at the end than at the start, which is almost never meant: initialSparsity and finalSparsity are probably swapped; write PolynomialDecay(initialSparsity: {Formats.Number(final)}, finalSparsity: {Formats.Number(initial)}, ...)"));

    /// <summary>m:n keeps m of every n weights: 1 ≤ m ≤ n, whatever the weight. <paramref name="owner"/>: <c>Layer 'fc'</c> or <c>Model 'X'</c>.</summary>
    public static Problem? MByN(string owner, int m, int n) => m >= 1 && m <= n ? null : new Problem(Rule.MByNDoesNotFit,
        Invariant($"{owner}: m:n sparsity keeps m of every n weights, so it needs 1 ≤ m ≤ n, but is {m}:{n}"));

    /// <summary>m:n groups run along the input channels (at each kernel position), so n divides them.</summary>
    public static Problem? MByNFits(string owner, int m, int n, long inputChannels) => inputChannels % n == 0 ? null : new Problem(Rule.MByNDoesNotFit,
        Invariant($"{owner}: {m}:{n} sparsity groups {n} consecutive input channels, but {n} does not divide the layer's {inputChannels} input channels"));

    /// <summary>
    /// A block is at least 1x1 and no larger than the weight's [rows, columns] view. It need not divide the view: as
    /// tfmot does, the view is padded with zeros to whole blocks when masks are computed, and the padding is dropped.
    /// </summary>
    public static Problem? BlockFits(string subject, int height, int width, long rows, long columns)
    {
        if (height >= 1 && width >= 1 && height <= rows && width <= columns) return null;
        var block = Formats.Size(height, width);
        return new Problem(Rule.BlockDoesNotFit, height < 1 || width < 1
            ? Invariant($"{subject}: a block must be at least 1x1, but is {block}")
            : Invariant($"{subject}: block {block} is larger than its weight matrix [{rows}, {columns}] ([outputs, inputs·kernel height·kernel width]); the block height must be at most {rows} and the width at most {columns}"));
    }

    /// <summary>Only a weight is pruned: a layer without one cannot be, nor a layer export folds into the one before it.</summary>
    public static Problem? Prunable(string layer, string kind, bool hasWeight, bool foldsIntoPrevious) =>
        foldsIntoPrevious ? new Problem(Rule.PruneFoldedLayer, Invariant(
            $"Layer '{layer}' is a {kind} layer: export folds its scale and offset into the layer before it, so its parameters are never weights of their own; remove [Prune] here and prune the layer before it"))
        : !hasWeight ? new Problem(Rule.PruneLayerWithoutWeights, Invariant(
            $"Layer '{layer}' is a {kind} layer, which has no weights to prune; remove [Prune] (only Conv2D, DepthwiseConv2D and Dense can be pruned)"))
        : null;

    /// <summary>
    /// tfmot's count of what a mask keeps of <paramref name="count"/> weights (or blocks, or channels) at
    /// <paramref name="sparsity"/>: round(n·(1 − s)), computed in float32 and rounded half to even as TensorFlow does;
    /// 0 when none would stay (masks keep at least one, the filter rule refuses such a target).
    /// </summary>
    public static long KeptCount(long count, double sparsity) =>
        (long)Math.Round((double)(count * (1f - (float)sparsity)), MidpointRounding.ToEven);

    /// <summary>Above this many, filter pruning keeps a multiple of it (<see cref="KeptChannels"/>).</summary>
    public const int ChannelMultiple = 16;

    /// <summary>
    /// The output channels filter pruning keeps of a layer's <paramref name="channels"/> at <paramref name="sparsity"/>,
    /// the one count the masks, the checks and the report read: tfmot's <see cref="KeptCount"/>, and, when that is above
    /// 16, the nearest multiple of 16 instead (the nearer one below on a tie), or all channels when that multiple is not
    /// below <paramref name="channels"/>. libtorch's CPU convolution (TorchSharp 0.107) computes a kernel larger than 1x1
    /// over more than 16 input channels, not a multiple of 16, wrongly (docs/tflite.md; LiteRT computes them right), and a
    /// filter-pruned layer's kept channels are the next layer's inputs. Nearest, not up as Torch-Pruning's <c>round_to</c> once did (it now rounds down), because the
    /// target is what the user asked for: 64 channels at 0.7 keep 19, which becomes 16 (75 %), not 32 (50 %); a tie
    /// goes down, as Torch-Pruning does, so at least the asked-for channels go.
    /// </summary>
    public static long KeptChannels(long channels, double sparsity)
    {
        var kept = KeptCount(channels, sparsity);
        if (kept <= ChannelMultiple) return kept;
        var below = kept / ChannelMultiple * ChannelMultiple;
        var nearest = kept - below <= below + ChannelMultiple - kept ? below : below + ChannelMultiple;
        return Math.Min(nearest, channels);
    }

    /// <summary>
    /// Filter pruning keeps <see cref="KeptChannels"/> of a layer's n output channels: a target that keeps none, or
    /// keeps all of them, is a mistake, not a pruning.
    /// </summary>
    public static Problem? FilterTargetFits(string subject, long channels, double sparsity)
    {
        var kept = KeptChannels(channels, sparsity);
        if (kept >= 1 && kept < channels) return null;
        if (kept < 1)
            return new Problem(Rule.FilterTargetDoesNotFit, Invariant($"{subject}: filter pruning to sparsity {Formats.Number(sparsity)} would leave none of its {channels} output channels; lower the target so that at least one channel stays"));
        var unrounded = KeptCount(channels, sparsity);
        if (unrounded >= channels)
            return new Problem(Rule.FilterTargetDoesNotFit, Invariant($"{subject}: filter pruning to sparsity {Formats.Number(sparsity)} rounds to keeping all {channels} of its output channels, so none would be removed; raise the target to at least {Formats.Number(1.0 / channels)} (one channel) or remove [FilterSparsity]"));
        var fewer = (channels - 1) / ChannelMultiple * ChannelMultiple;
        return new Problem(Rule.FilterTargetDoesNotFit, Invariant(
            $"{subject}: filter pruning to sparsity {Formats.Number(sparsity)} would keep {unrounded} of its {channels} output channels, and above {ChannelMultiple} it keeps the nearest multiple of {ChannelMultiple} (libtorch's CPU convolution computes other channel counts wrongly), which is all {channels}, so none would be removed; raise the target to at least {Formats.Number(TargetKeeping(channels, fewer))} (keeps {fewer}) or remove [FilterSparsity]"));
    }

    /// <summary>A short target (three decimals) at which filter pruning keeps <paramref name="kept"/> of <paramref name="channels"/>.</summary>
    private static double TargetKeeping(long channels, long kept)
    {
        var exact = 1 - ((double)kept / channels);
        var shortened = Math.Ceiling(exact * 1000) / 1000;
        return KeptChannels(channels, shortened) == kept ? shortened : exact;
    }

    // Filter pruning removes output channels of a layer that mixes its input channels (Conv2D, Dense), and with them what
    // reads them downstream up to the next such layers, whose inputs shrink; ChannelGroups follows them through the
    // graph and says which of these rules a layer breaks (PRUNE032).

    /// <summary>Only a layer that mixes its input channels makes channels of its own that can be removed.</summary>
    public static Problem FilterOnTiedChannels(ChannelLayer layer) => FilterCannotBeRemoved(layer, Invariant(
        $"a {layer.Kind} layer's output channels are tied to its input channels, so filter pruning cannot remove them; put [FilterSparsity] on the Conv2D or Dense layer before it"));

    /// <summary>The classes (the last layer's outputs, or what passes them on) are never removed.</summary>
    public static Problem FilterReachesOutput(ChannelLayer layer) => FilterCannotBeRemoved(layer,
        "its output channels reach the model's output, whose values are the classes, and those are never removed; remove [FilterSparsity] from this layer (prune the layers before it)");

    /// <summary>Removed channels are followed only through layers whose <see cref="ChannelFlow"/> is known.</summary>
    public static Problem FilterThroughUnknown(ChannelLayer layer, string readerKind, string reader) => FilterCannotBeRemoved(layer, Invariant(
        $"filter pruning cannot follow removed channels through the {readerKind} layer '{reader}' that reads them"));

    /// <summary>The BatchNorm-scale criterion (network slimming) needs a BatchNorm after the layer; Dropout and pooling may stand between.</summary>
    public static Problem FilterWithoutBatchNorm(ChannelLayer layer) => FilterCannotBeRemoved(layer,
        "FilterCriterion.BatchNormScale ranks channels by the scale of the BatchNorm after the layer, but no BatchNorm follows it; use FilterCriterion.L1 or L2, or add a [BatchNorm]");

    /// <summary>An Add sums channel c of each input: the channels of the layers that make them are removed together, so
    /// every one of them is filter-pruned alike. The advice names what the user annotates: a block's layers are pruned by
    /// the block's attributes.</summary>
    public static Problem FilterJoinedUnlike(ChannelLayer layer, string add, ChannelLayer other) => FilterCannotBeRemoved(layer, Invariant(
        $"the Add '{add}' sums its output channels with those of {other.Quoted}, so they are removed together, but '{other.Name}' {(other.Filter is not null ? "is filter-pruned with another criterion or schedule" : "is not filter-pruned")}; give '{other.Declaration}' the same [Prune] and [FilterSparsity] (criterion and schedule) as '{layer.Declaration}', or filter-prune neither"));

    /// <summary>An Add that sums the channels with the model's input, whose channels are the data's.</summary>
    public static Problem FilterJoinedToModelInput(ChannelLayer layer, string add) => FilterCannotBeRemoved(layer, Invariant(
        $"the Add '{add}' sums its output channels with the model's input, whose channels cannot be removed; remove [FilterSparsity] from the layers whose outputs the Add sums"));

    /// <summary>An Add whose inputs carry a channel at different widths (a DepthwiseConv2D multiplier or a Flatten on one side).</summary>
    public static Problem FilterJoinedAtDifferentWidths(ChannelLayer layer, string add) => FilterCannotBeRemoved(layer, Invariant(
        $"the Add '{add}' sums channels that come from its producers at different widths (a DepthwiseConv2D multiplier or a Flatten on one side), so they cannot be removed together"));

    private static Problem FilterCannotBeRemoved(ChannelLayer layer, string problem) => new(Rule.FilterCannotBeRemoved, Invariant($"{Subject(layer.Name, layer.Block)}: {problem}"));

    /// <summary>How a message names a layer: <c>Layer 'conv1'</c>, or <c>Layer 'block3_0_expand' (of block 'block3')</c>
    /// for one a block attribute expanded to, whose field, not the layer, is what the user annotates.</summary>
    public static string Subject(string layer, string? block = null) => "Layer " + Quote(layer, block);

    /// <summary>A layer's name in a message, with its block's when a block expanded to it.</summary>
    public static string Quote(string layer, string? block = null) => block is null ? $"'{layer}'" : $"'{layer}' (of block '{block}')";
}
