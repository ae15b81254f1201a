namespace Prune.Build.Tests;

[Collection(BuildCollection.Name)]
public sealed class BadConfigurationTests : IDisposable
{
    private readonly ThrowawayProject _project = new("bad");

    [Fact]
    public void A_data_path_that_does_not_exist_is_PRB001_naming_it_and_writes_nothing()
    {
        var result = _project.Build("-p:PruneData=no/such/file.csv");
        AssertFailsWith(result, "PRB001", $"PruneData names no file or folder: {Path.Combine(_project.Directory, "no/such/file.csv")}.");
        AssertNoArtifacts();
    }

    [Fact]
    public void An_epochs_override_that_is_not_a_positive_number_is_PRB007()
    {
        var result = _project.Build("-p:PruneEpochs=zero");
        AssertFailsWith(result, "PRB007", "PruneEpochs");
        AssertNoArtifacts();
    }

    [Fact]
    public void Selecting_a_model_the_assembly_does_not_have_is_PRB003_naming_the_models_it_has()
    {
        var result = _project.Build("-p:PruneModelNames=NoSuchModel");
        AssertFailsWith(result, "PRB003", "Throwaway.TinyClassifier");
        AssertNoArtifacts();
    }

    [Fact]
    public void A_sparsity_out_of_range_is_a_compile_error_at_the_attribute()
    {
        _project.WriteModel(finalSparsity: "1.5");
        var result = _project.Build();
        AssertFailsWith(result, "PRUNE", "TinyClassifier.cs(6,");
        AssertNoArtifacts();
    }

    [Fact]
    public void A_folder_that_cannot_be_written_is_PRB016_naming_it_before_any_training()
    {
        // Tests may run as root, for whom no permission bit makes a folder unwritable: a file standing where a folder
        // must be makes it impossible for anyone.
        var blocker = Path.Combine(_project.Directory, "not-a-folder");
        File.WriteAllText(blocker, "");
        var output = Path.Combine(blocker, "pruned") + "/";
        var result = _project.Build($"-p:PruneOutputDir={output}");
        AssertFailsWith(result, "PRB016", $"TinyClassifier's files cannot be written to the folder {output}: ");
        Assert.DoesNotContain("training the baseline", result.Output);

        // A previous artifact that cannot be deleted (a folder where the manifest lists a file) is PRB016 too, before training.
        var stuck = Path.Combine(_project.OutputDirectory, "TinyClassifier.tflite");
        Directory.CreateDirectory(Path.Combine(stuck, "inside"));
        File.WriteAllLines(Path.Combine(_project.Directory, "obj", RepositoryPaths.Configuration, "net10.0", "prune", "outputs.txt"), [stuck]);
        result = _project.Build();
        AssertFailsWith(result, "PRB016", $"Prune cannot replace the previous build's TinyClassifier.tflite in the folder {_project.OutputDirectory}: ");
        Assert.DoesNotContain("training the baseline", result.Output);
    }

    private static void AssertFailsWith(BuildResult result, string code, string detail)
    {
        Assert.False(result.Succeeded, result.ToString());
        var errors = result.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Any(e => e.Contains($"error {code}", StringComparison.Ordinal) && e.Contains(detail, StringComparison.Ordinal)),
            $"expected an error {code} with '{detail}', got:\n{string.Join('\n', errors)}\n\n{result}");
        Assert.DoesNotContain("   at ", result.Output);
    }

    private void AssertNoArtifacts() =>
        Assert.True(!Directory.Exists(_project.OutputDirectory) || Directory.GetFiles(_project.OutputDirectory).Length == 0,
            "the failed build left files in " + _project.OutputDirectory);

    public void Dispose() => _project.Dispose();
}
