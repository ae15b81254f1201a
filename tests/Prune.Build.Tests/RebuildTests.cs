using System.Text.Json;

namespace Prune.Build.Tests;

[Collection(BuildCollection.Name)]
public sealed class RebuildTests
{
    [Fact]
    public void Changing_pruning_reuses_the_cached_baseline_a_setting_or_the_data_rebuilds_items_override_and_clean_removes_everything()
    {
        // A PruneModel item with every metadata, switched on by a property for the step that needs it.
        using var project = new ThrowawayProject("rebuild", """
            <ItemGroup Condition="'$(UseModelItem)' == 'true'">
              <PruneModel Include="TinyClassifier" Data="relabeled.csv" LabelColumn="is_benign" Int8="false" />
            </ItemGroup>
            """);
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

        // The data changed (its last rows dropped), nothing else: the pipeline runs, and the baseline is trained anew.
        var rows = File.ReadAllLines(project.DataFile);
        File.WriteAllLines(project.DataFile, rows[..^10]);
        var dataChanged = project.Build("-p:PruneInt8=false");
        Assert.True(dataChanged.Succeeded, dataChanged.ToString());
        Assert.Contains("TinyClassifier: training the baseline", dataChanged.Output);

        // The output folder was deleted by hand: the previous build's manifest names files in a folder that is gone,
        // which is nothing to delete (not a folder that cannot be written), and the missing artifacts are built again.
        Directory.Delete(project.OutputDirectory, recursive: true);
        var folderDeleted = project.Build("-p:PruneInt8=false");
        Assert.True(folderDeleted.Succeeded, folderDeleted.ToString());
        Assert.True(File.Exists(project.Artifact(".tflite")));

        // A PruneModel item's metadata wins over the properties: its data, its label column, no int8 file.
        File.WriteAllLines(Path.Combine(project.Directory, "relabeled.csv"), [rows[0].Replace(",benign", ",is_benign", StringComparison.Ordinal), .. rows[1..]]);
        var item = project.Build("-p:UseModelItem=true");
        Assert.True(item.Succeeded, item.ToString());
        Assert.Contains("TinyClassifier: loading " + Path.Combine(project.Directory, "relabeled.csv"), item.Output);
        Assert.Contains("relabeled.csv", File.ReadAllText(project.Artifact(".report.json")));
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
