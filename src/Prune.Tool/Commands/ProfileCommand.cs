using System.ComponentModel;
using System.Globalization;
using Prune.Export;
using Prune.LiteRt;
using Prune.Pipeline;
using Prune.Tool.Files;
using Spectre.Console.Cli;

namespace Prune.Tool.Commands;

/// <summary><c>dotnet prune profile</c>'s arguments.</summary>
internal sealed class ProfileSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The .tflite file.")]
    public string File { get; init; } = "";

    [CommandOption("--data <DATA>")]
    [Description("Test data for accuracy: 'mnist' (the 10,000 test images), or a CSV file (standardized as the file's metadata says).")]
    public string? Data { get; init; }

    [CommandOption("--label-column <COLUMN>")]
    [Description("The label column of CSV data.")]
    [DefaultValue("label")]
    public string LabelColumn { get; init; } = "label";

    [CommandOption("--runs <N>")]
    [Description("Timed batch-1 runs.")]
    [DefaultValue(1000)]
    public int Runs { get; init; } = LatencyRuns.Default.Runs;

    [CommandOption("--warmup <N>")]
    [Description("Untimed runs first.")]
    [DefaultValue(50)]
    public int WarmUp { get; init; } = LatencyRuns.Default.WarmUp;
}

/// <summary>
/// <c>dotnet prune profile FILE.tflite</c>: batch-1 latency in LiteRT (untimed warm-up runs, then p50/p90/p99 over the
/// timed runs, in one Node process), multiply-accumulates and parameters per operator with their share, the file's
/// size; and its accuracy when test data is given.
/// </summary>
internal sealed class ProfileCommand : AsyncCommand<ProfileSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, ProfileSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Runs < 1) throw new ToolException($"--runs must be at least 1, not {settings.Runs}.");
        if (settings.WarmUp < 0) throw new ToolException($"--warmup must be 0 or more, not {settings.WarmUp}.");
        var file = TfLiteFile.Load(settings.File);
        var test = settings.Data is { } data ? TestData.Load(data, settings.LabelColumn, file) : null;
        LiteRtRunner runner;
        try
        {
            runner = LiteRtRunner.Locate();
        }
        catch (LiteRtUnavailableException e)
        {
            throw new ToolException($"LiteRT is unavailable: {e.Message}");
        }
        var samples = test?.Samples ?? [new float[file.SampleSize]];
        float[][] outputs;
        Latency latency;
        try
        {
            (outputs, latency) = runner.RunAndTime(file.Path, samples, new LatencyRuns(settings.WarmUp, settings.Runs));
        }
        catch (LiteRtException e)
        {
            throw new ToolException($"LiteRT cannot run {file.Path}: {e.Message}");
        }

        var size = FileSize.Of(Path.GetFileName(file.Path), File.ReadAllBytes(file.Path));
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{file.Path}: {size.Bytes:N0} bytes, {size.GzipBytes:N0} gzipped"));
        Console.WriteLine(string.Create(c, $"input {file.Input.Type.ToString().ToLowerInvariant()} [{string.Join(", ", file.Input.Shape)}], output {file.Output.Type.ToString().ToLowerInvariant()} [{string.Join(", ", file.Output.Shape)}]"));
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"Latency, batch 1 in LiteRT (WebAssembly CPU, one thread), {latency.WarmUp} untimed runs then {latency.Runs:N0} timed:"));
        Console.WriteLine(string.Create(c, $"  p50 {latency.P50Ms:F3} ms   p90 {latency.P90Ms:F3} ms   p99 {latency.P99Ms:F3} ms   mean {latency.MeanMs:F3} ms   min {latency.MinMs:F3} ms   max {latency.MaxMs:F3} ms"));
        Console.WriteLine();
        PrintCosts(OperatorCosts.Of(file.Contents));
        if (test is not null)
        {
            var correct = outputs.Select((output, i) => test.Predict(output) == test.Labels[i]).Count(same => same);
            Console.WriteLine();
            Console.WriteLine(string.Create(c, $"Accuracy on {test.Description}: {(double)correct / test.Labels.Count:P2} ({correct:N0} of {test.Labels.Count:N0}), in LiteRT"));
        }
        return Task.FromResult(0);
    }

    private static void PrintCosts(IReadOnlyList<OperatorCost> costs)
    {
        var total = Math.Max(1, costs.Sum(c => c.MultiplyAccumulates));
        var parameters = Math.Max(1, costs.Sum(c => c.Parameters));
        string[] header = ["#", "operator", "layer", "MACs", "share", "on nonzero weights", "parameters", "share"];
        var rows = costs.Select(c => new[]
        {
            c.Index.ToString(CultureInfo.InvariantCulture), c.Operator, c.Layer,
            c.MultiplyAccumulates.ToString("N0", CultureInfo.InvariantCulture), ((double)c.MultiplyAccumulates / total).ToString("P1", CultureInfo.InvariantCulture),
            c.NonzeroMultiplyAccumulates.ToString("N0", CultureInfo.InvariantCulture),
            c.Parameters.ToString("N0", CultureInfo.InvariantCulture), ((double)c.Parameters / parameters).ToString("P1", CultureInfo.InvariantCulture),
        }).ToList();
        rows.Add(["", "total", "", costs.Sum(c => c.MultiplyAccumulates).ToString("N0", CultureInfo.InvariantCulture), "100 %",
            costs.Sum(c => c.NonzeroMultiplyAccumulates).ToString("N0", CultureInfo.InvariantCulture), costs.Sum(c => c.Parameters).ToString("N0", CultureInfo.InvariantCulture), "100 %"]);
        Console.WriteLine("Per operator, per sample (multiply-accumulates as a dense kernel computes them; those on nonzero weights are what pruning leaves):");
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Format(string[] cells) => "  " + string.Join("  ", cells.Select((cell, i) => i is 1 or 2 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i])));
        Console.WriteLine(Format(header));
        foreach (var row in rows) Console.WriteLine(Format(row));
    }
}
