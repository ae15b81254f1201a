using System.Text.Json;

namespace Prune.Build.Tests;

[Collection(BuildCollection.Name)]
public sealed class RebuildTests
{
    [Fact]
    public void Changing_pruning_reuses_the_cached_baseline_a_setting_change_rebuilds_and_clean_removes_everything()
    {
        using var project = new ThrowawayProject("rebuild");
        var first = project.Build();
        Assert.True(first.Succeeded, first.ToString());

        // Only the pruning changed: the baseline comes from obj/, the fine-tuning runs again.
        project.WriteModel(finalSparsity: "0.75");
        var pruningChanged = project.Build();
        Assert.True(pruningChanged.Succeeded, pruningChanged.ToString());
        Assert.Contains("TinyClassifier: baseline loaded from cache", pruningChanged.Output);
        Assert.DoesNotContain("TinyClassifier: training the baseline", pruningChanged.Output);
        Assert.Equal(0.75, HiddenSparsity(project), 2);

        // A Prune property changed: the pipeline runs, and a file no longer produced does not linger.
        var int8Off = project.Build("-p:PruneInt8=false");
        Assert.True(int8Off.Succeeded, int8Off.ToString());
        Assert.Contains("TinyClassifier: baseline loaded from cache", int8Off.Output);
        Assert.False(File.Exists(project.Artifact(".int8.tflite")));
        Assert.True(File.Exists(project.Artifact(".tflite")));

        var clean = project.Clean();
        Assert.True(clean.Succeeded, clean.ToString());
        Assert.False(File.Exists(project.Artifact(".tflite")));
        Assert.False(File.Exists(project.Artifact(".report.md")));
        Assert.False(File.Exists(project.Artifact(".report.json")));
    }

    private static double HiddenSparsity(ThrowawayProject project)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(project.Artifact(".report.json")));
        return report.RootElement.GetProperty("layers").EnumerateArray()
            .Single(l => l.GetProperty("name").GetString() == "hidden").GetProperty("achieved").GetDouble();
    }
}
