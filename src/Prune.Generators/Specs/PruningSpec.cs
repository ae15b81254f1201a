namespace Prune.Generators.Specs;

/// <summary>How a layer is pruned: a schedule, and optionally a block or m:n pattern.</summary>
internal sealed record PruningSpec(ScheduleSpec Schedule, BlockSpec? Block, MByNSpec? MByN);

/// <summary>A tfmot schedule: <c>ConstantSparsity</c> (Initial unused) or <c>PolynomialDecay</c>.</summary>
internal sealed record ScheduleSpec(
    bool IsPolynomial, double InitialSparsity, double FinalSparsity, int BeginStep, int EndStep, double Power, int Frequency);

/// <summary>Block sparsity over the 2-D weight view.</summary>
internal sealed record BlockSpec(int Height, int Width, string Pooling);

/// <summary>Keep m of every n consecutive weights.</summary>
internal sealed record MByNSpec(int M, int N);
