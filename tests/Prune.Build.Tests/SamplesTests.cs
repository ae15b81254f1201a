using System.Text.Json;

namespace Prune.Build.Tests;

/// <summary>
/// The README's samples build: all of them with <c>PruneSkip=true</c> (compiled, generator and Prune's targets
/// included, nothing trained), and the tabular one trained with the quick-build settings the README documents.
/// </summary>
[Collection(BuildCollection.Name)]
public sealed class SamplesTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("prune-samples-").FullName;

    [Fact]
    public void Every_sample_compiles_with_PruneSkip_and_trains_nothing()
    {
        var samples = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "samples"), "*.csproj", SearchOption.AllDirectories);
        Assert.True(samples.Length >= 3, string.Join(", ", samples));
        // One build of all of them: a solution file listing the samples where they are.
        File.WriteAllText(Path.Combine(_scratch, "samples.slnx"),
            "<Solution>\n" + string.Concat(samples.Select(s => $"  <Project Path=\"{Path.GetRelativePath(_scratch, s)}\" />\n")) + "</Solution>\n");

        var result = DotnetBuild.Run(_scratch, "build", "samples.slnx", "-p:PruneSkip=true");

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("0 Warning(s)", result.Output, StringComparison.Ordinal);
        foreach (var sample in samples)
        {
            var name = Path.GetFileNameWithoutExtension(sample);
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(sample)!, "bin", RepositoryPaths.Configuration, "net10.0", name + ".dll")), $"{name} was not built");
        }
        Assert.DoesNotContain(": loading", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("training the baseline", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tabular_sample_trains_with_the_quick_build_settings_into_the_chosen_folder()
    {
        var output = Path.Combine(_scratch, "artifacts") + "/";
        var result = DotnetBuild.Run(Path.Combine(RepositoryPaths.Root, "samples", "Tabular"), "build",
            "-p:PruneEpochs=1", "-p:PruneTrainLimit=64", "-p:PruneVerifyWithLiteRt=false", $"-p:PruneOutputDir={output}");

        Assert.True(result.Succeeded, result.ToString());
        const string model = "BreastCancerClassifier";
        Assert.Equal([$"{model}.int8.tflite", $"{model}.onnx", $"{model}.report.json", $"{model}.report.md", $"{model}.sparsity.png", $"{model}.tflite", $"{model}.training.png"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // The charts are drawn (by the host's charts/ folder, in a load context of its own) and linked from the report.
        var markdown = File.ReadAllText(Path.Combine(output, $"{model}.report.md"));
        Assert.Contains($"![Loss and accuracy per epoch]({model}.training.png)", markdown, StringComparison.Ordinal);
        Assert.Contains($"![Sparsity schedule as it ran]({model}.sparsity.png)", markdown, StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(output, $"{model}.training.png"))[..4]);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, $"{model}.report.json")));
        var training = report.RootElement.GetProperty("training");
        // PruneEpochs=1 for the baseline and fine-tuning (the sample declares 60 and 40); PruneTrainLimit=64 rows at
        // batch 32: two fine-tuning steps (455 rows would be 15).
        Assert.Equal(1, training.GetProperty("baseline").GetProperty("epochs").GetInt32());
        Assert.Equal(1, training.GetProperty("fineTuning").GetProperty("epochs").GetInt32());
        Assert.Equal(2, training.GetProperty("fineTuning").GetProperty("steps").GetInt64());
        // PruneVerifyWithLiteRt=false: nothing ran in LiteRT, and the report says why.
        var liteRt = report.RootElement.GetProperty("liteRt");
        Assert.False(liteRt.GetProperty("ran").GetBoolean());
        Assert.Contains("PruneVerifyWithLiteRt=false", liteRt.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("checking the exported files in LiteRT", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
