namespace Prune.Specs;

/// <summary>How a layer's weights are pruned: when and how much (the schedule), and in what pattern.</summary>
/// <param name="Schedule">When masks update and to what sparsity.</param>
public sealed record PruningSpec(PruningSchedule Schedule)
{
    /// <summary>Prune whole blocks of this shape of the [outputs, inputs] weight matrix; null for single weights.</summary>
    public Size2D? Block { get; init; }

    /// <summary><see cref="Block"/> when it holds more than one weight; null when weights are pruned one by one
    /// (no block, or a 1x1 block).</summary>
    internal Size2D? MultiWeightBlock => Block is { } block && block != new Size2D(1, 1) ? block : null;

    /// <summary>How a block is scored.</summary>
    public BlockPooling BlockPooling { get; init; } = BlockPooling.Average;

    /// <summary>Keep m of every n consecutive weights along the input dimension; null for none.</summary>
    public MByN? MByN { get; init; }

    /// <summary>Prune whole output channels ranked by this criterion (the schedule's sparsity then counts channels); null
    /// for a pattern of weights.</summary>
    public FilterCriterion? Filter { get; init; }

    /// <summary>The sparsity pruning aims at: 1 − m/n for m:n (whatever the schedule's target), else the schedule's final one.</summary>
    public double TargetSparsity => MByN?.Sparsity ?? Schedule.FinalSparsity;

    /// <summary>The sparsity asked for at <paramref name="step"/>: none before the schedule begins, then 1 − m/n for m:n, else the schedule's.</summary>
    internal double SparsityAt(long step) => step < Schedule.BeginStep ? 0 : MByN?.Sparsity ?? Schedule.SparsityAt(step);
}

/// <summary>m:n structured sparsity: m weights kept in every group of n.</summary>
/// <param name="M">Kept per group.</param>
/// <param name="N">Group size.</param>
public readonly record struct MByN(int M, int N)
{
    /// <summary>The fraction of weights the pattern zeroes: 1 − m/n, whatever the schedule's target.</summary>
    internal double Sparsity => 1 - ((double)M / N);

    /// <summary>As written in reports: <c>2:4</c>.</summary>
    public override string ToString() => $"{M}:{N}";
}
