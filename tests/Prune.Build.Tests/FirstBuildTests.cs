using System.Text.Json;
using Prune.LiteRt;

namespace Prune.Build.Tests;

[Collection(BuildCollection.Name)]
public sealed class FirstBuildTests(BuiltProject built) : IClassFixture<BuiltProject>
{
    private ThrowawayProject Project => built.Project;

    [Fact]
    public void The_build_succeeds_and_shows_progress_at_normal_verbosity()
    {
        Assert.True(built.FirstBuild.Succeeded, built.FirstBuild.ToString());
        Assert.Contains("TinyClassifier: training the baseline", built.FirstBuild.Output);
        Assert.Contains("TinyClassifier pruning: epoch 6/6", built.FirstBuild.Output);
    }

    [Fact]
    public void It_writes_the_float_and_int8_files_and_both_reports()
    {
        Assert.True(built.FirstBuild.Succeeded, built.FirstBuild.ToString());
        foreach (var suffix in new[] { ".tflite", ".int8.tflite", ".report.md", ".report.json" })
            Assert.True(File.Exists(Project.Artifact(suffix)), $"missing {Project.Artifact(suffix)}");
        Assert.Empty(Directory.GetFiles(Project.OutputDirectory, "*.tmp"));
    }

    [Fact]
    public void The_report_holds_accuracy_sparsity_sizes_and_the_LiteRT_check()
    {
        Assert.True(built.FirstBuild.Succeeded, built.FirstBuild.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(Project.Artifact(".report.json")));
        var root = report.RootElement;
        Assert.InRange(root.GetProperty("accuracy").GetProperty("baseline").GetDouble(), 0.85, 1.0);
        Assert.InRange(root.GetProperty("accuracy").GetProperty("pruned").GetDouble(), 0.85, 1.0);
        var hidden = root.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "hidden");
        Assert.Equal(0.5, hidden.GetProperty("achieved").GetDouble(), 2);
        Assert.True(root.GetProperty("liteRt").GetProperty("ran").GetBoolean());
        Assert.Equal(4, root.GetProperty("files").GetArrayLength());
        var markdown = File.ReadAllText(Project.Artifact(".report.md"));
        Assert.Contains("## Sparsity per layer", markdown);
        Assert.Contains("| mean_radius |", markdown);
    }

    [Fact]
    public void LiteRT_runs_both_files_and_they_agree_on_real_rows()
    {
        Assert.True(built.FirstBuild.Succeeded, built.FirstBuild.ToString());
        var rows = StandardizedRows(Project.Artifact(".report.json"), count: 20);
        var runner = LiteRtRunner.Locate();
        var floats = runner.Run(Project.Artifact(".tflite"), rows);
        var int8 = runner.Run(Project.Artifact(".int8.tflite"), rows);
        Assert.All(floats, output => Assert.InRange(output.Single(), 0f, 1f));
        var agreement = floats.Zip(int8, (f, q) => f[0] > 0.5 == q[0] > 0.5).Count(same => same);
        Assert.True(agreement >= 18, $"int8 and float agree on {agreement} of 20 rows");
    }

    [Fact]
    public void A_second_build_with_nothing_changed_trains_nothing()
    {
        Assert.True(built.FirstBuild.Succeeded, built.FirstBuild.ToString());
        var before = File.GetLastWriteTimeUtc(Project.Artifact(".tflite"));
        var second = Project.Build();
        Assert.True(second.Succeeded, second.ToString());
        Assert.DoesNotContain("TinyClassifier:", second.Output);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Project.Artifact(".tflite")));
    }

    [Fact]
    public void Bad_property_values_are_PRB007_naming_each_and_the_last_build_s_files_stay()
    {
        Assert.True(built.FirstBuild.Succeeded, built.FirstBuild.ToString());
        var artifacts = Directory.GetFiles(Project.OutputDirectory).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var result = Project.Build("-p:PruneInt8=maybe", "-p:PruneTrainLimit=-3", "-p:PruneVerifyWithLiteRt=sometimes");

        Assert.False(result.Succeeded, result.ToString());
        // One error (printed twice: as it happens and in the summary) names every bad value.
        var errors = result.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.Contains("error PRB007: PruneInt8 must be true or false, not 'maybe'. PruneVerifyWithLiteRt must be true or false, not 'sometimes'. "
            + "PruneTrainLimit must be a whole number of at least 1 (or empty), not '-3'. Nothing was built or deleted.", error));
        Assert.Equal(artifacts, Directory.GetFiles(Project.OutputDirectory).ToDictionary(f => f, File.GetLastWriteTimeUtc));
        // Nothing of the failed build's settings stayed behind: the next build with the old settings does nothing.
        var next = Project.Build();
        Assert.True(next.Succeeded, next.ToString());
        Assert.DoesNotContain("TinyClassifier:", next.Output);
    }

    /// <summary>The first rows of the CSV, standardized with the statistics the report gives: what a user's app would feed.</summary>
    private static float[][] StandardizedRows(string reportPath, int count)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(reportPath));
        var statistics = report.RootElement.GetProperty("preprocessing").EnumerateArray()
            .Select(f => (Mean: f.GetProperty("mean").GetDouble(), Std: f.GetProperty("std").GetDouble())).ToArray();
        return File.ReadLines(RepositoryPaths.BreastCancerCsv).Skip(1).Take(count)
            .Select(line => line.Split(',')[..statistics.Length]
                .Select((cell, i) => (float)((double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture) - statistics[i].Mean) / statistics[i].Std))
                .ToArray())
            .ToArray();
    }
}
