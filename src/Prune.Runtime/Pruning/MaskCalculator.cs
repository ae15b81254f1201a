using Prune.Specs;
using Prune.Specs.Rules;
using static TorchSharp.torch;

namespace Prune.Pruning;

/// <summary>
/// Magnitude masks with tfmot's semantics (<c>pruning_impl.py</c>): a mask keeps k = max(round(n·(1 − s)), 1) of
/// n scores, rounding half to even in float32 as TensorFlow does, and zeroes the rest: exactly n − k zeros, ties at
/// the threshold broken by index (the earlier weight is kept). Block sparsity scores blocks of the 2-D weight view
/// [out, in·kh·kw] by their average or maximum magnitude and keeps or drops whole blocks (the view padded with zeros
/// to whole blocks, as tfmot's <c>_maybe_pad</c> does: an edge block's average counts its padding); m:n sparsity keeps the m
/// largest magnitudes of every n consecutive weights along the input-channel dimension, whatever the target.
/// </summary>
internal static class MaskCalculator
{
    /// <summary>A 0/1 float mask of <paramref name="weight"/>'s shape for <paramref name="sparsity"/> in the pattern of <paramref name="spec"/>.</summary>
    /// <param name="weight">Dense [out, in] or convolution [out, in, kh, kw] weight.</param>
    /// <param name="sparsity">The fraction of zeros wanted, in [0, 1); ignored for m:n.</param>
    /// <param name="spec">The pattern: single weights, blocks, or m:n.</param>
    /// <param name="layer">The layer's name, for errors.</param>
    /// <param name="columnOrder">For a Dense weight, the order export writes its columns in (<see cref="ExportColumnOrder"/>):
    /// blocks are cut in that order, so they are blocks in the file; null for TorchSharp's order.</param>
    public static Tensor Magnitude(Tensor weight, double sparsity, PruningSpec spec, string layer = "(unnamed)", long[]? columnOrder = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(spec);
        Validate(layer, weight.shape, spec);
        if (PruningRules.Sparsity($"Layer '{layer}':", nameof(sparsity), sparsity) is { } outOfRange)
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, outOfRange.Message);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var magnitude = weight.detach().abs();
        var mask = spec.MByN is { } mByN ? MByN(magnitude, mByN)
            : spec.MultiWeightBlock is { } block ? InOrder(magnitude, columnOrder, m => Blocks(m, sparsity, block, spec.BlockPooling))
            : Unstructured(magnitude, sparsity);
        return mask.to_type(weight.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A 0/1 mask over the output channels of <paramref name="weight"/> (its dimension 0) that keeps
    /// <see cref="PruningRules.KeptChannels"/> of them at <paramref name="sparsity"/> (tfmot's count, rounded to a multiple
    /// of 16 above 16), ranked by <paramref name="criterion"/>; the lowest are dropped, ties broken
    /// by index (the earlier channel is kept), as for single weights.
    /// </summary>
    /// <param name="weight">Dense [out, in] or convolution [out, in, kh, kw] weight.</param>
    /// <param name="sparsity">The fraction of channels to remove, in [0, 1).</param>
    /// <param name="criterion">How channels are ranked.</param>
    /// <param name="batchNormScale">γ of the BatchNorm after the layer, for <see cref="FilterCriterion.BatchNormScale"/>.</param>
    public static Tensor Filters(Tensor weight, double sparsity, FilterCriterion criterion, Tensor? batchNormScale = null)
    {
        using var scores = FilterScores(weight, criterion, batchNormScale);
        return KeepHighest(scores, sparsity, weight.dtype);
    }

    /// <summary>How much each output channel of <paramref name="weight"/> is worth keeping, by <paramref name="criterion"/>.</summary>
    /// <param name="weight">Dense [out, in] or convolution [out, in, kh, kw] weight.</param>
    /// <param name="criterion">How channels are ranked.</param>
    /// <param name="batchNormScale">γ of the BatchNorm after the layer, for <see cref="FilterCriterion.BatchNormScale"/>.</param>
    public static Tensor FilterScores(Tensor weight, FilterCriterion criterion, Tensor? batchNormScale = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var filters = weight.detach().flatten(1);
        var scores = criterion switch
        {
            FilterCriterion.L1 => filters.abs().sum(1),
            FilterCriterion.L2 => filters.square().sum(1).sqrt(),
            FilterCriterion.BatchNormScale => (batchNormScale ?? throw new ArgumentNullException(nameof(batchNormScale), "FilterCriterion.BatchNormScale needs the BatchNorm's scale.")).detach().abs(),
            _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "Unknown filter criterion."),
        };
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary>A 0/1 mask over the channel <paramref name="scores"/> keeping the highest <see cref="PruningRules.KeptChannels"/>
    /// of them at <paramref name="sparsity"/> (tfmot's count, rounded to a multiple of 16 above 16).</summary>
    public static Tensor KeepHighest(Tensor scores, double sparsity, ScalarType type)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var kept = Math.Max(PruningRules.KeptChannels(scores.numel(), sparsity), 1);
        return Largest(scores.detach(), kept).to_type(type).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Throws an <see cref="InvalidSpecException"/> naming <paramref name="layer"/> when <paramref name="spec"/> cannot
    /// apply to a weight of <paramref name="weightShape"/>: a target outside [0, 1), a block smaller than 1x1 or larger
    /// than the [out, in·kh·kw] view, m outside 1…n, or n not dividing the input channels (the rules the spec is checked with).
    /// </summary>
    public static void Validate(string layer, long[] weightShape, PruningSpec spec)
    {
        ArgumentNullException.ThrowIfNull(weightShape);
        ArgumentNullException.ThrowIfNull(spec);
        if (weightShape.Length is not (2 or 4))
            throw new ArgumentException($"Layer {layer}: only [out, in] and [out, in, kh, kw] weights can be pruned, not [{string.Join(", ", weightShape)}].");
        InvalidSpecException.ThrowIfAny(SpecValidation.Fit(layer, spec, new WeightView(weightShape)));
    }

    /// <summary>The number of weights tfmot keeps of <paramref name="count"/> at <paramref name="sparsity"/>: max(round(n·(1 − s)), 1).</summary>
    public static long KeptCount(long count, double sparsity) => Math.Max(PruningRules.KeptCount(count, sparsity), 1);

    private static Tensor Unstructured(Tensor magnitude, double sparsity) => Largest(magnitude, KeptCount(magnitude.numel(), sparsity));

    /// <summary>Keeps the <paramref name="kept"/> largest of <paramref name="magnitude"/>'s entries.</summary>
    private static Tensor Largest(Tensor magnitude, long kept)
    {
        var flat = magnitude.flatten();
        var count = flat.numel();
        var zeros = count - kept;
        if (zeros <= 0) return ones_like(magnitude);
        var threshold = flat.kthvalue(zeros, 0).values;
        var keep = flat.gt(threshold);
        // Weights equal to the threshold were all dropped; give back the earliest ones so exactly `zeros` remain.
        var missing = count - zeros - keep.sum().item<long>();
        if (missing > 0)
        {
            var tied = flat.eq(threshold).nonzero().flatten().narrow(0, 0, missing);
            keep.index_fill_(0, tied, true);
        }
        return keep.reshape(magnitude.shape);
    }

    private static Tensor Blocks(Tensor magnitude, double sparsity, Size2D block, BlockPooling pooling)
    {
        var view = new WeightView(magnitude.shape);
        var (blockRows, blockColumns) = (Whole(view.Rows, block.Height), Whole(view.Columns, block.Width));
        var (paddedRows, paddedColumns) = (blockRows * block.Height, blockColumns * block.Width);
        // Zero padding on the bottom and right up to whole blocks; the mask of the padding is cut off again.
        var padded = nn.functional.pad(magnitude.reshape(view.Rows, view.Columns), [0, paddedColumns - view.Columns, 0, paddedRows - view.Rows]);
        var blocks = padded.reshape(blockRows, block.Height, blockColumns, block.Width);
        var scores = pooling == BlockPooling.Max ? blocks.amax([1L, 3L]) : blocks.mean([1L, 3L]);
        var blockMask = Unstructured(scores, sparsity);
        return blockMask.reshape(blockRows, 1, blockColumns, 1)
            .expand(blockRows, block.Height, blockColumns, block.Width)
            .reshape(paddedRows, paddedColumns)
            .narrow(0, 0, view.Rows).narrow(1, 0, view.Columns)
            .reshape(magnitude.shape);
    }

    /// <summary><paramref name="mask"/> of a [rows, columns] magnitude taken with its columns in <paramref name="order"/>, back in the original order.</summary>
    private static Tensor InOrder(Tensor magnitude, long[]? order, Func<Tensor, Tensor> mask)
    {
        if (order is null) return mask(magnitude);
        using var columns = tensor(order);
        var inverse = argsort(columns);
        return mask(magnitude.index_select(1, columns)).index_select(1, inverse);
    }

    /// <summary>Blocks of <paramref name="size"/> it takes to cover <paramref name="length"/>.</summary>
    private static long Whole(long length, int size) => (length + size - 1) / size;

    private static Tensor MByN(Tensor magnitude, MByN mByN)
    {
        // Groups run along the input channels: move them last ([out, kh, kw, in] for a convolution, as TFLite stores it).
        var isConvolution = magnitude.dim() == 4;
        var channelsLast = isConvolution ? magnitude.permute(0, 2, 3, 1).contiguous() : magnitude;
        var groups = channelsLast.reshape(-1, mByN.N);
        var largest = groups.topk(mByN.M, 1).indexes;
        var mask = zeros_like(groups, ScalarType.Bool).scatter_(1, largest, ones_like(largest, ScalarType.Bool)).reshape(channelsLast.shape);
        return isConvolution ? mask.permute(0, 3, 1, 2).contiguous() : mask;
    }
}
