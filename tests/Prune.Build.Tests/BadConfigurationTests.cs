using System.Diagnostics;

namespace Prune.Build.Tests;

/// <summary>
/// Errors only the build itself can give (a setting, the task, the child process), each through a real
/// <c>dotnet build</c> of the shared error project: the code, the key words and the place, never a stack trace.
/// </summary>
[Collection(BuildCollection.Name)]
public sealed class BadConfigurationTests(ErrorProject errors)
{
    private ThrowawayProject Project => errors.Project;

    [Fact]
    public void A_data_path_that_does_not_exist_is_PRB001_naming_it_and_writes_nothing()
    {
        var result = Project.Build("-p:PruneData=no/such/file.csv");
        AssertFailsWith(result, "PRB001", $"PruneData names no file or folder: {Path.Combine(Project.Directory, "no/such/file.csv")}.");
        AssertNoArtifacts();
    }

    [Fact]
    public void An_epochs_override_that_is_not_a_positive_number_is_PRB007()
    {
        var result = Project.Build("-p:PruneEpochs=zero");
        AssertFailsWith(result, "PRB007", "PruneEpochs", "'zero'");
        AssertNoArtifacts();
    }

    [Fact]
    public void A_weight_storage_other_than_auto_or_dense_is_PRB007()
    {
        var result = Project.Build("-p:PruneWeightStorage=compact");
        AssertFailsWith(result, "PRB007", "PruneWeightStorage must be auto or dense, not 'compact'.");
        AssertNoArtifacts();
    }

    [Fact]
    public void Selecting_a_model_the_assembly_does_not_have_is_PRB003_naming_the_models_it_has()
    {
        var result = Project.Build("-p:PruneModelNames=NoSuchModel");
        AssertFailsWith(result, "PRB003", "NoSuchModel", "Throwaway.TinyClassifier");
        AssertNoArtifacts();
    }

    [Fact]
    public void An_output_without_its_runtimeconfig_is_PRB011_naming_the_setting()
    {
        File.Delete(Path.Combine(Project.BinDirectory, $"{Project.Name}.runtimeconfig.json"));
        var result = Project.Build("-p:GenerateRuntimeConfigurationFiles=false");
        AssertFailsWith(result, "PRB011", "runtimeconfig.json", "GenerateRuntimeConfigurationFiles=true");
        AssertNoArtifacts();
    }

    [Fact]
    public async Task A_host_that_dies_without_a_word_is_PRB010_and_leaves_no_artifact()
    {
        // What the system's out-of-memory killer does to a training run: the child process is killed mid-training.
        using var killer = new CancellationTokenSource();
        var killed = Task.Run(() => KillHostOf(Project.Directory, killer.Token));

        var result = Project.Build("-p:PruneEpochs=1000");
        killer.Cancel();

        Assert.True(await killed, "the host was never seen running\n" + result);
        AssertFailsWith(result, "PRB010", "exited with code", "without reporting an error");
        AssertNoArtifacts();
    }

    [Fact]
    public void Ctrl_C_during_training_stops_the_host_and_leaves_no_artifact()
    {
        var build = Project.StartBuild("-p:PruneEpochs=1000");
        build.WaitForOutput("training the baseline");
        using var host = HostOf(Project.Directory);
        Assert.NotNull(host);

        build.Interrupt();
        var result = build.Finish();

        Assert.False(result.Succeeded, result.ToString());
        // MSBuild cancels the task, which kills its child: 1,000 epochs are not trained to the end.
        Assert.True(host.WaitForExit(TimeSpan.FromSeconds(10)), "the host still runs after the build ended\n" + result);
        Assert.DoesNotContain("TinyClassifier: baseline", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
        AssertNoArtifacts();
    }

    [Fact]
    public void A_platform_other_than_linux_x64_is_PRB019_naming_it()
    {
        // No other platform runs here: the targets' platform probe is preset, as on a Mac with Apple silicon.
        var result = Project.Build("-p:_PrunePlatform=osx-arm64");
        AssertFailsWith(result, "PRB019", "Linux x64 only", "this build runs on osx-arm64", "PruneSkip=true");
        AssertNoArtifacts();
    }

    [Fact]
    public void A_device_other_than_cpu_or_cuda_is_PRB007()
    {
        var result = Project.Build("-p:PruneDevice=gpu");
        AssertFailsWith(result, "PRB007", "PruneDevice must be cpu or cuda, not 'gpu'");
        AssertNoArtifacts();
    }

    [Fact]
    public void Cuda_with_the_CPU_natives_is_PRB020_saying_how_to_swap_them_before_any_training()
    {
        var result = Project.Build("-p:PruneDevice=cuda");
        AssertFailsWith(result, "PRB020", "PruneDevice is cuda", "no TorchSharp CUDA natives", "Training on a GPU", "PruneDevice=cpu");
        Assert.DoesNotContain("training the baseline", result.Output);
        AssertNoArtifacts();
    }

    [Fact]
    public void Excluding_the_CPU_natives_without_CUDA_ones_is_PRB020()
    {
        // What ExcludeAssets="all" on libtorch-cpu-linux-x64 leaves: its build props, which set this, are not imported.
        var result = Project.Build("-p:TorchSharpCpuPackage=false");
        AssertFailsWith(result, "PRB020", "no libtorch natives", "libtorch-cpu-linux-x64 is excluded");
        AssertNoArtifacts();
    }

    [Fact]
    public void A_sparsity_out_of_range_is_PRUNE014_at_the_attribute()
    {
        try
        {
            Project.WriteModel(finalSparsity: "1.5");
            var result = Project.Build();
            AssertFailsWith(result, "PRUNE014", "TinyClassifier.cs(6,", "1.5");
            AssertNoArtifacts();
        }
        finally
        {
            Project.WriteModel(finalSparsity: "0.5");
        }
    }

    [Fact]
    public void A_folder_that_cannot_be_written_is_PRB016_naming_it_before_any_training()
    {
        // Tests may run as root, for whom no permission bit makes a folder unwritable: a file standing where a folder
        // must be makes it impossible for anyone.
        var blocker = Path.Combine(Project.Directory, "not-a-folder");
        File.WriteAllText(blocker, "");
        var output = Path.Combine(blocker, "pruned") + "/";
        var result = Project.Build($"-p:PruneOutputDir={output}");
        AssertFailsWith(result, "PRB016", $"TinyClassifier's files cannot be written to the folder {output}: ");
        Assert.DoesNotContain("training the baseline", result.Output);

        // A previous artifact that cannot be deleted (a folder where the manifest lists a file) is PRB016 too, before training.
        var stuck = Path.Combine(Project.OutputDirectory, "TinyClassifier.tflite");
        var manifest = Path.Combine(Project.Directory, "obj", RepositoryPaths.Configuration, "net10.0", "prune", "outputs.txt");
        try
        {
            Directory.CreateDirectory(Path.Combine(stuck, "inside"));
            File.WriteAllLines(manifest, [stuck]);
            result = Project.Build();
            AssertFailsWith(result, "PRB016", $"Prune cannot replace the previous build's TinyClassifier.tflite in the folder {Project.OutputDirectory}: ");
            Assert.DoesNotContain("training the baseline", result.Output);
        }
        finally
        {
            // The project is shared by the other tests of this class: leave it as it was.
            Directory.Delete(stuck, recursive: true);
            File.Delete(manifest);
        }
    }

    private static void AssertFailsWith(BuildResult result, string code, params string[] keyWords)
    {
        Assert.False(result.Succeeded, result.ToString());
        var errors = result.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(errors.Count > 0 && errors.All(e => e.Contains($"error {code}:", StringComparison.Ordinal)),
            $"expected only errors {code}, got:\n{string.Join('\n', errors)}\n\n{result}");
        Assert.All(keyWords, word => Assert.Contains(word, errors[0], StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Output);
    }

    private void AssertNoArtifacts() =>
        Assert.True(!Directory.Exists(Project.OutputDirectory) || Directory.GetFiles(Project.OutputDirectory).Length == 0,
            "the failed build left files in " + Project.OutputDirectory);

    /// <summary>Waits for the pipeline's host of the project in <paramref name="directory"/> to start, and kills it.</summary>
    private static bool KillHostOf(string directory, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            if (HostOf(directory) is { } host)
            {
                using (host)
                {
                    // Let it get into training first, so that the kill lands in the middle of the work.
                    Thread.Sleep(TimeSpan.FromSeconds(3));
                    host.Kill();
                    return true;
                }
            }
            Thread.Sleep(100);
        }
        return false;
    }

    /// <summary>The running pipeline host of the project in <paramref name="directory"/>, or null.</summary>
    private static Process? HostOf(string directory)
    {
        foreach (var process in Process.GetProcesses())
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText($"/proc/{process.Id}/cmdline");
            }
            catch (IOException)
            {
                process.Dispose();
                continue; // ended meanwhile
            }
            if (commandLine.Contains("Prune.Host.dll", StringComparison.Ordinal) && commandLine.Contains(directory, StringComparison.Ordinal)) return process;
            process.Dispose();
        }
        return null;
    }
}
