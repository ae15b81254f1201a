using System.Diagnostics;
using System.Text.Json;
using Prune.Build.Tests;

namespace Prune.Serving.Tests;

/// <summary>
/// <c>dotnet prune sweep</c>, <c>inspect</c> and <c>profile</c> as a user runs them: the real tool in its own process,
/// its output redirected (so plain lines, no progress bars), on the files and the project the shared throwaway MNIST
/// build wrote.
/// </summary>
[Collection(ServedModelsCollection.Name)]
public sealed class ToolCommandTests(BuiltModels models) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("prune-tool-").FullName;

    [Fact]
    public void Inspect_shows_a_good_file_and_its_checks_and_exits_0()
    {
        var text = Tool("inspect", models.FirstTflite);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("CONV_2D", text.Output);
        Assert.Contains("Signature 'serving_default'", text.Output);
        Assert.Contains("Structural checks: passed", text.Output);

        var json = Tool("inspect", models.FirstTflite, "--json");
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(new FileInfo(models.FirstTflite).Length, document.RootElement.GetProperty("bytes").GetInt64());
        Assert.Contains(document.RootElement.GetProperty("operators").EnumerateArray(), op => op.GetProperty("name").GetString() == "FULLY_CONNECTED");
        Assert.True(document.RootElement.GetProperty("multiplyAccumulates").GetInt64() > 0);
    }

    [Fact]
    public void Inspect_refuses_a_truncated_file_a_file_that_is_not_tflite_and_a_missing_one_in_one_line_with_exit_code_1()
    {
        var bytes = File.ReadAllBytes(models.FirstTflite);
        var truncated = Path.Combine(_scratch, "truncated.tflite");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 3)]);
        AssertOneLineError(Tool("inspect", truncated), "truncated or corrupt");
        AssertOneLineError(Tool("inspect", models.First), "Not a .tflite file");
        AssertOneLineError(Tool("inspect", Path.Combine(_scratch, "missing.tflite")), "No file at");
    }

    [Fact]
    public void Profile_prints_latency_percentiles_the_operators_costs_and_the_accuracy_on_the_MNIST_test_images()
    {
        var run = Tool("profile", models.FirstTflite, "--data", "mnist", "--runs", "200", "--warmup", "10");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"p50 \d+\.\d{3} ms   p90 \d+\.\d{3} ms   p99 \d+\.\d{3} ms", run.Output);
        Assert.Contains("10 untimed runs then 200 timed", run.Output);
        Assert.Matches(@"CONV_2D\s+conv\s+[\d,]+\s+\d+\.\d %", run.Output);
        var accuracy = double.Parse(System.Text.RegularExpressions.Regex.Match(run.Output, @"Accuracy on the 10,000 MNIST test images: (\d+\.\d+) %").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 80, 100);      // the small CNN, trained on 4,000 images for one epoch
    }

    [Theory]
    [InlineData("1.2", "--targets: The target must be in [0, 1), but is 1.2; 1 would remove every weight")]
    [InlineData("", "--targets: The list of targets is empty")]
    [InlineData("0.5,x", "--targets: The target 'x' is not a number")]
    public void Sweep_refuses_targets_outside_0_to_1_and_an_empty_list_before_building(string targets, string message) =>
        AssertOneLineError(Tool("sweep", "--project", models.Directory, "--model", "ServedCnn", "--targets", targets), message);

    [Fact]
    public void Sweep_refuses_an_unknown_project_and_an_unknown_model_in_one_line()
    {
        AssertOneLineError(Tool("sweep", "--project", Path.Combine(_scratch, "nowhere"), "--model", "ServedCnn"), "No project at");
        AssertOneLineError(Tool("sweep", "--project", _scratch, "--model", "ServedCnn"), "No project file in");
        var unknown = Tool("sweep", "--project", models.Directory, "--model", "NoSuchModel", "--no-build", "--output", _scratch);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error PRB003: ", unknown.Errors);
        Assert.Contains("'NoSuchModel' names no [Model] class", unknown.Errors);
        Assert.DoesNotContain("   at ", unknown.Output + unknown.Errors);
    }

    [Fact]
    public void A_tiny_sweep_reuses_one_baseline_prints_plain_lines_and_the_table_and_writes_the_four_files()
    {
        var output = Path.Combine(_scratch, "sweep");
        var run = Tool("sweep", "--project", models.Directory, "--model", "ServedCnn", "--targets", "0.8,0.5", "--epochs", "1", "--train-limit", "640",
            "--no-build", "--output", output);

        Assert.True(run.ExitCode == 0, run.Output + run.Errors);
        Assert.DoesNotContain('\u001b', run.Output);        // redirected: no escape codes, no redrawn bars
        Assert.Contains("one baseline for all 2 targets", run.Output);
        Assert.Contains("[1/2] 50 %: fine-tuning (10 steps)", run.Output);
        Assert.Matches(@"\| 50 % \| 50\.\d\d % \|", run.Output);
        Assert.Matches(@"\| 80 % \| (79\.9\d|80\.0\d) % \|", run.Output);
        foreach (var file in new[] { "sweep.md", "sweep.json", "sweep.csv", "sweep.png", "ServedCnn.sparsity-50.tflite", "ServedCnn.sparsity-80.tflite" })
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is missing: {run.Output}");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(output, "sweep.png"))[..4]);
        Assert.Contains("![Accuracy and file size against sparsity](sweep.png)", File.ReadAllText(Path.Combine(output, "sweep.md")));
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static void AssertOneLineError(ToolRun run, string message)
    {
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dotnet prune: ", line);
        Assert.Contains(message, line);
    }

    private sealed record ToolRun(int ExitCode, string Output, string Errors);

    /// <summary>Runs the built tool as <c>dotnet dotnet-prune.dll ...</c>, its output redirected.</summary>
    private static ToolRun Tool(params string[] arguments)
    {
        var tool = Path.Combine(RepositoryPaths.Root, "src", "Prune.Tool", "bin", RepositoryPaths.Configuration, "net10.0", "dotnet-prune.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in (string[])[tool, .. arguments]) start.ArgumentList.Add(argument);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet prune {string.Join(' ', arguments)} did not finish:\n{output}");
        }
        return new ToolRun(process.ExitCode, output, errors.Result);
    }
}
