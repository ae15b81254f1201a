using Prune.Build.Protocol;
using Xunit.Abstractions;

namespace Prune.Build.Tests;

/// <summary>
/// The build errors the pipeline raises, each provoked for real through Prune's host (the child process the build
/// task starts) on a compiled project, and read back from the protocol lines the task turns into MSBuild errors:
/// the code, the key words of the message, the place, and never a stack trace or an artifact.
/// </summary>
[Collection(BuildCollection.Name)]
public sealed class HostTests(ErrorProject errors, ITestOutputHelper output)
{
    [Fact]
    public void Unreadable_data_is_PRB002_naming_the_file_line_and_column()
    {
        var csv = Path.Combine(errors.Project.Directory, "bad-cell.csv");
        var lines = File.ReadAllLines(errors.Project.DataFile);
        lines[3] = "oops" + lines[3][lines[3].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(csv, lines);

        var run = errors.RunHost($"{ThrowawayProject.ModelName};data={csv}");

        var error = AssertFailsWith(run, BuildErrorCodes.DataInvalid, "bad-cell.csv", "line 4", "'oops' is not a finite number");
        Assert.EndsWith("TinyClassifier.cs", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_that_does_not_fit_the_model_is_PRB004_before_any_training()
    {
        var run = errors.RunHost("TooFewInputs");

        AssertFailsWith(run, BuildErrorCodes.DataDoesNotFitModel, "[20]", "[30]");
        Assert.DoesNotContain("training the baseline", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_where_TorchSharp_finds_none_is_PRB020_before_any_training()
    {
        // The build's own check (the natives) passes when a CUDA package is referenced; the host still finds no GPU here.
        var run = errors.RunHost(ThrowawayProject.ModelName, [HostArguments.Device, "cuda"]);

        AssertFailsWith(run, BuildErrorCodes.DeviceUnavailable, "TorchSharp finds no CUDA device", "PruneDevice=cpu");
        Assert.DoesNotContain("training the baseline", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diverging_model_is_PRB005()
    {
        var run = errors.RunHost("Exploding");

        AssertFailsWith(run, BuildErrorCodes.TrainingDiverged, "Exploding", "diverged");
    }

    [Fact]
    public void A_layer_that_cannot_be_exported_is_PRB006_naming_it_before_any_training()
    {
        var run = errors.RunHost("NormAfterActivation");

        AssertFailsWith(run, BuildErrorCodes.ExportFailed, "'norm'", "cannot be exported");
        Assert.DoesNotContain("training the baseline", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_computes_what_its_file_does_not_is_PRB009()
    {
        var run = errors.RunHost("HalvesItsOutput");

        AssertFailsWith(run, BuildErrorCodes.LiteRtMismatch, "LiteRT", "HalvesItsOutput", "float file");
    }

    [Fact]
    public void Pruning_settings_the_weights_do_not_allow_are_PRB012_naming_the_layer()
    {
        var run = errors.RunHost("BlocksThatDoNotFit");

        AssertFailsWith(run, BuildErrorCodes.InvalidPruningSettings, "hidden", "17x3");
    }

    [Fact]
    public void A_hand_written_spec_that_breaks_a_rule_is_PRB018_naming_the_layer_before_any_training()
    {
        var run = errors.RunHost("DeclaresTheWrongOutput");

        AssertFailsWith(run, BuildErrorCodes.InvalidSpec, "Layer 'output'", "declares the output [2]", "gives [1]");
        Assert.DoesNotContain("training the baseline", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_failure_is_PRB099_asking_for_a_report_with_the_stack_trace_only_in_the_detailed_log()
    {
        var run = errors.RunHost("FailsToConstruct");

        AssertFailsWith(run, BuildErrorCodes.InternalError, "Prune failed on FailsToConstruct", "the model cannot be built", "a bug in Prune", "-v:d");
        Assert.Contains(run.Messages, m => m.Kind == HostMessageKind.Info && m.Text.Contains(" at Throwaway.FailsToConstruct", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_Node_the_files_are_written_unchecked_with_warning_PRB008()
    {
        // PATH holds no node (dotnet is started by its full path): LiteRT cannot run.
        var run = errors.RunHost(ThrowawayProject.ModelName, ["--int8", "false"], new() { ["PATH"] = "/nonexistent" });

        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(run.Warnings);
        Assert.Equal(BuildErrorCodes.LiteRtUnavailable, warning.Code);
        Assert.Contains("were written but not checked in LiteRT", warning.Text, StringComparison.Ordinal);
        Assert.Contains("Node.js was not found", warning.Text, StringComparison.Ordinal);
        Assert.Contains("PruneVerifyWithLiteRt=false builds without the check", warning.Text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory, ThrowawayProject.ModelName + ".tflite")));
    }

    [Fact]
    public void A_schedule_longer_than_fine_tuning_is_warning_PRB013_with_the_sparsity_reached()
    {
        // One fine-tuning epoch of 455 rows at batch 32 is 15 steps; the schedule updates every 10 steps until 40.
        var run = errors.RunHost(ThrowawayProject.ModelName, ["--epochs", "1", "--int8", "false", "--verify", "false"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(run.Warnings);
        Assert.Equal(BuildErrorCodes.ScheduleNotCompleted, warning.Code);
        Assert.Contains("instead of 50.0 %", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_int8_file_calibrated_on_too_little_data_is_warning_PRB014()
    {
        var run = errors.RunHost(ThrowawayProject.ModelName, ["--train-limit", "2"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(run.Warnings, w => w.Code == BuildErrorCodes.QuantizationDegraded);
        output.WriteLine(warning.Text);
        Assert.Contains("int8 file picks the float model's class on only", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_baseline_that_learned_nothing_is_warning_PRB015_with_the_numbers()
    {
        var run = errors.RunHost("LearnsNothing", ["--int8", "false", "--verify", "false"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var warning = Assert.Single(run.Warnings);
        Assert.Equal(BuildErrorCodes.BaselineLearnedNothing, warning.Code);
        Assert.Contains("no better than always answering the most common class", warning.Text, StringComparison.Ordinal);
        Assert.Contains("it learned nothing", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_written_is_PRB016_before_any_training()
    {
        // A file where the output folder's parent must be: no permission bit needed (tests may run as root).
        var blocker = Path.Combine(errors.Project.Directory, "host-runs-blocker");
        File.WriteAllText(blocker, "");
        var run = errors.RunHost(ThrowawayProject.ModelName, ["--output", Path.Combine(blocker, "out")]);

        AssertFailsWith(run, BuildErrorCodes.FolderNotWritable, "cannot be written to the folder", "host-runs-blocker");
        Assert.DoesNotContain("training the baseline", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_onnx_file_that_computes_what_the_model_does_not_is_PRB017()
    {
        var run = errors.RunHost("HalvesItsOutput", ["--onnx", "true", "--verify", "false", "--int8", "false"]);

        AssertFailsWith(run, BuildErrorCodes.OnnxMismatch, "HalvesItsOutput", "largest probability difference");
    }

    [Fact]
    public void A_bad_command_line_is_PRB007()
    {
        var run = errors.RunHost(ThrowawayProject.ModelName, ["--epochs", "zero"]);

        AssertFailsWith(run, BuildErrorCodes.InvalidSetting, "--epochs", "'zero'");
    }

    [Fact]
    public void A_weight_storage_other_than_auto_or_dense_is_PRB007()
    {
        var run = errors.RunHost(ThrowawayProject.ModelName, ["--weight-storage", "sparse"]);

        AssertFailsWith(run, BuildErrorCodes.InvalidSetting, "--weight-storage", "auto or dense", "'sparse'");
    }

    [Fact]
    public void Dense_weight_storage_writes_every_tensor_of_both_files_dense_where_auto_stores_the_pruned_layer_sparse()
    {
        // The model's own epochs: its schedule reaches 50% at step 40, and the pruned hidden layer is then smaller as CSR.
        string[] quick = ["--verify", "false"];
        var auto = errors.RunHost(ThrowawayProject.ModelName, quick);
        var dense = errors.RunHost(ThrowawayProject.ModelName, [.. quick, "--weight-storage", "dense"]);

        Assert.True(auto.ExitCode == 0 && dense.ExitCode == 0, $"{auto}\n{dense}");
        var autoFloat = Prune.Export.TfLiteReader.Read(File.ReadAllBytes(Path.Combine(auto.OutputDirectory, $"{ThrowawayProject.ModelName}.tflite")));
        Assert.Contains(autoFloat.Tensors, t => t.IsSparse);
        foreach (var file in new[] { $"{ThrowawayProject.ModelName}.tflite", $"{ThrowawayProject.ModelName}.int8.tflite" })
        {
            var contents = Prune.Export.TfLiteReader.Read(File.ReadAllBytes(Path.Combine(dense.OutputDirectory, file)));
            Assert.DoesNotContain(contents.Tensors, t => t.IsSparse);
            Assert.DoesNotContain(contents.Operators, o => o.Name == "DENSIFY");
        }
    }

    [Fact]
    public void A_missing_or_corrupt_pretrained_file_is_PRB021_naming_its_path_before_any_training()
    {
        var folder = Path.Combine(errors.Project.Directory, "pretrained-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "ResNet18.onnx");

        var missing = errors.RunHost("Pretrained", [HostArguments.PretrainedDirectory, folder]);
        AssertFailsWith(missing, BuildErrorCodes.PretrainedNotReadable, "were not found", file);

        File.WriteAllBytes(file, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 131 + 17))]);
        var corrupt = errors.RunHost("Pretrained", [HostArguments.PretrainedDirectory, folder]);
        AssertFailsWith(corrupt, BuildErrorCodes.PretrainedNotReadable, file, "ONNX");
        Assert.DoesNotContain("training the baseline", missing.Output + corrupt.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pretrained_file_that_does_not_fit_is_PRB022_naming_the_layer_before_any_training()
    {
        var run = errors.RunHost("Pretrained", [HostArguments.PretrainedDirectory, Path.GetDirectoryName(RepositoryPaths.ResNet18Onnx)!]);

        AssertFailsWith(run, BuildErrorCodes.PretrainedDoesNotFit, "layer hidden (Dense)", "Convolution249 (Conv)", RepositoryPaths.ResNet18Onnx);
        Assert.DoesNotContain("training the baseline", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The run failed with exactly one error, of <paramref name="code"/>, whose text holds every key word; nothing was written.</summary>
    private static HostMessage AssertFailsWith(HostRun run, string code, params string[] keyWords)
    {
        Assert.True(run.ExitCode != 0, run.ToString());
        var error = Assert.Single(run.Errors);
        Assert.True(error.Code == code, $"expected {code}, got {error.Code}: {error.Text}");
        Assert.All(keyWords, word => Assert.Contains(word, error.Text, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", string.Join('\n', run.Messages.Where(m => m.Kind != HostMessageKind.Info).Select(m => m.Text)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(run.OutputDirectory) && Directory.EnumerateFileSystemEntries(run.OutputDirectory).Any(), $"the failed run wrote into {run.OutputDirectory}");
        return error;
    }
}
