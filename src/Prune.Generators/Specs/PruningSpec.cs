namespace Prune.Generators.Specs;

/// <summary>How a layer is pruned: a schedule, and optionally a block, m:n or filter pattern.</summary>
internal sealed record PruningSpec(ScheduleSpec Schedule, BlockSpec? Block, MByNSpec? MByN, FilterSpec? Filter = null);

/// <summary>A tfmot schedule: <c>ConstantSparsity</c> (Initial unused) or <c>PolynomialDecay</c>.</summary>
internal sealed record ScheduleSpec(
    bool IsPolynomial, double InitialSparsity, double FinalSparsity, int BeginStep, int EndStep, double Power, int Frequency);

/// <summary>Block sparsity over the 2-D weight view.</summary>
internal sealed record BlockSpec(int Height, int Width, string Pooling);

/// <summary>Keep m of every n consecutive weights.</summary>
internal sealed record MByNSpec(int M, int N);

/// <summary>Filter pruning: whole output channels, ranked by a <c>FilterCriterion</c> member.</summary>
/// <param name="Criterion">The member's name.</param>
/// <param name="Where">Where a mistake about it is reported: its [FilterSparsity], or the layer's [Prune] when the
/// layer inherits the model's.</param>
internal sealed record FilterSpec(string Criterion, SourceSpot Where);
