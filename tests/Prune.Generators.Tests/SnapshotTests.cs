using Snapshooter;
using Snapshooter.Xunit;

namespace Prune.Generators.Tests;

/// <summary>
/// What the generator writes for each scenario, verified against a committed snapshot (one per scenario, under
/// __snapshots__/), and proof that the generated code compiles without a single diagnostic against Prune.Runtime.
/// </summary>
public class SnapshotTests
{
    [Theory]
    [InlineData(nameof(Scenarios.SeedCnn), Scenarios.SeedCnn)]
    [InlineData(nameof(Scenarios.LayerSpecific), Scenarios.LayerSpecific)]
    [InlineData(nameof(Scenarios.Tabular), Scenarios.Tabular)]
    [InlineData(nameof(Scenarios.EveryLayer), Scenarios.EveryLayer)]
    public void Generated_source_matches_the_snapshot(string scenario, string source)
    {
        var run = GeneratorHarness.Run(source);

        Snapshot.Match(run.ToSnapshotText(), SnapshotNameExtension.Create(scenario));
    }

    [Theory]
    [InlineData(Scenarios.SeedCnn)]
    [InlineData(Scenarios.LayerSpecific)]
    [InlineData(Scenarios.Tabular)]
    [InlineData(Scenarios.EveryLayer)]
    public void Generated_source_compiles_with_no_diagnostics(string source)
    {
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics.Select(GeneratorRun.Describe));
    }
}
