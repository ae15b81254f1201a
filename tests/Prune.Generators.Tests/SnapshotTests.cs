using System.Diagnostics;
using Snapshooter;
using Snapshooter.Xunit;

namespace Prune.Generators.Tests;

/// <summary>
/// What the generator writes for each scenario, verified against a committed snapshot (one per scenario, under
/// __snapshots__/), and proof that the generated code compiles without a single diagnostic against Prune.Runtime.
/// Snapshooter writes a missing snapshot and passes unless SNAPSHOOTER_STRICT_MODE is on: CI (.ci/run) turns it on,
/// so there a missing or changed snapshot fails. docs/testing.md says how to accept a new one locally.
/// </summary>
public class SnapshotTests
{
    private const string SnapshotFolder = "tests/Prune.Generators.Tests/__snapshots__";

    public static TheoryData<string> ScenarioNames => [.. Scenarios.Snapshotted.Keys];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Generated_source_matches_the_snapshot(string scenario)
    {
        var run = GeneratorHarness.Run(Scenarios.Snapshotted[scenario]);

        Snapshot.Match(run.ToSnapshotText(), SnapshotNameExtension.Create(scenario));
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Snapshot_is_committed(string scenario)
    {
        // Git, not the disk: a snapshot Snapshooter has just written (outside strict mode) exists, but nobody reviewed it.
        var path = $"{SnapshotFolder}/{SnapshotFile(scenario)}";
        var (exitCode, output) = Git("cat-file", "-e", $"HEAD:{path}");
        Assert.True(exitCode == 0, $"{path} is not in the last commit ({output.Trim()}): review the snapshot and commit it.");
    }

    [Fact]
    public void Every_snapshot_file_belongs_to_a_scenario()
    {
        var files = Directory.GetFiles(Path.Combine(DiagnosticTests.RepositoryRoot(), SnapshotFolder), "*.snap").Select(Path.GetFileName).Order();

        Assert.Equal(Scenarios.Snapshotted.Keys.Select(SnapshotFile).Order(), files);
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Generated_source_compiles_with_no_diagnostics(string scenario)
    {
        var run = GeneratorHarness.Run(Scenarios.Snapshotted[scenario]);

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics.Select(GeneratorRun.Describe));
    }

    private static string SnapshotFile(string scenario) =>
        $"{nameof(SnapshotTests)}.{nameof(Generated_source_matches_the_snapshot)}_{scenario}.snap";

    private static (int ExitCode, string Output) Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = DiagnosticTests.RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var git = Process.Start(start)!;
        var error = git.StandardError.ReadToEndAsync();
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return (git.ExitCode, output + error.Result);
    }
}
