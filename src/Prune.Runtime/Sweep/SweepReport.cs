using System.Globalization;
using System.Text;
using System.Text.Json;
using Prune.Charts;
using Prune.Export;
using Prune.Pipeline;

namespace Prune.Sweep;

/// <summary>
/// A sweep's four files, rewritten after every point so that a sweep stopped (or killed) keeps what it finished:
/// <c>sweep.json</c> (the <see cref="SweepSummary"/>), <c>sweep.csv</c> (one row per point), <c>sweep.md</c> (the
/// table and the chart) and <c>sweep.png</c> (accuracy against sparsity with the baseline as a line; file sizes
/// against sparsity). Each file is replaced whole, never left half-written.
/// </summary>
internal static class SweepReport
{
    /// <summary>The files' names, in the sweep's folder.</summary>
    public const string Json = "sweep.json", Csv = "sweep.csv", Markdown = "sweep.md", Png = "sweep.png";

    /// <summary>JSON as sweep.json holds it.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The same on one line: how the host sends statuses and points to the tool.</summary>
    public static JsonSerializerOptions LineJsonOptions { get; } = new(JsonOptions) { WriteIndented = false };

    /// <summary>Writes the four files into <paramref name="directory"/>; the chart only when <paramref name="charts"/> can draw it.</summary>
    public static void Write(string directory, SweepSummary summary, IChartRenderer? charts)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var png = charts?.RenderPng(Chart(summary).ToJson());
        AtomicFile.Write(Path.Combine(directory, Json), Encoding.UTF8.GetBytes(JsonSerializer.Serialize(summary, JsonOptions) + "\n"));
        AtomicFile.Write(Path.Combine(directory, Csv), Encoding.UTF8.GetBytes(RenderCsv(summary)));
        AtomicFile.Write(Path.Combine(directory, Markdown), Encoding.UTF8.GetBytes(RenderMarkdown(summary, png is not null)));
        if (png is not null) AtomicFile.Write(Path.Combine(directory, Png), png);
    }

    /// <summary>The table, as sweep.md and the tool print it.</summary>
    public static string RenderTable(SweepSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var md = new StringBuilder();
        md.Append("| target | sparsity | TorchSharp | LiteRT float | LiteRT int8 | float bytes | float gzipped | int8 bytes | int8 gzipped | float p50 | int8 p50 | MACs on nonzero weights | time |\n");
        md.Append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var p in summary.Points)
        {
            if (!p.Succeeded)
            {
                md.Append(Invariant($"| {p.Target:P0} | **failed** | {p.Failure!.Replace('|', '/')} | | | | | | | | | | {p.Seconds:F0} s |\n"));
                continue;
            }
            md.Append(Invariant($"| {p.Target:P0} | {Percent(p.Sparsity)} | {Percent(p.TorchSharpAccuracy)} | {Percent(p.LiteRtAccuracy)} | {Percent(p.Int8Accuracy)} | {p.FloatFile?.Bytes:N0} | {p.FloatFile?.GzipBytes:N0} | {p.Int8File?.Bytes:N0} | {p.Int8File?.GzipBytes:N0} | {Milliseconds(p.FloatLatency?.P50Ms)} | {Milliseconds(p.Int8Latency?.P50Ms)} | {p.NonzeroMultiplyAccumulates:N0} | {p.Seconds:F0} s |\n"));
        }
        return md.ToString();
    }

    private static string RenderMarkdown(SweepSummary summary, bool withChart)
    {
        var md = new StringBuilder();
        md.Append(Invariant($"# {summary.Model}: sparsity sweep\n\n"));
        md.Append(Invariant($"Data: {summary.Data.Source} ({summary.Data.TrainSamples:N0} training, {summary.Data.TestSamples:N0} test samples). "));
        md.Append(Invariant($"Every target fine-tuned from one baseline ({(summary.BaselineFromCache ? "loaded from the cache" : "trained for this sweep")}): "));
        md.Append(Invariant($"{summary.BaselineAccuracy:P2} in TorchSharp; its dense float file {summary.BaselineFile.Bytes:N0} bytes, {summary.BaselineFile.GzipBytes:N0} gzipped.\n\n"));
        md.Append(Invariant($"Accuracies on all {summary.Data.TestSamples:N0} test samples. Files: the float file as written (pruned weights sparse where that is smaller) and the int8 file. "));
        md.Append("Latency: batch 1 in LiteRT (WebAssembly CPU, one thread), the median of 1,000 runs after 50 untimed ones. MACs: multiply-accumulates per sample on nonzero weights.\n\n");
        if (summary.Stopped) md.Append(Invariant($"**Stopped** (Ctrl+C) after {summary.Points.Count} of {summary.Targets.Count} targets.\n\n"));
        if (withChart) md.Append(Invariant($"![Accuracy and file size against sparsity]({Png})\n\n"));
        md.Append(RenderTable(summary));
        return md.ToString();
    }

    private static string RenderCsv(SweepSummary summary)
    {
        var csv = new StringBuilder("target,succeeded,sparsity,torchsharp_accuracy,litert_float_accuracy,litert_int8_accuracy,float_bytes,float_gzip_bytes,int8_bytes,int8_gzip_bytes,float_p50_ms,float_p90_ms,float_p99_ms,int8_p50_ms,int8_p90_ms,int8_p99_ms,macs,nonzero_macs,seconds,failure\n");
        foreach (var p in summary.Points)
        {
            string[] fields =
            [
                Number(p.Target), p.Succeeded ? "true" : "false", Number(p.Sparsity), Number(p.TorchSharpAccuracy), Number(p.LiteRtAccuracy), Number(p.Int8Accuracy),
                Number(p.FloatFile?.Bytes), Number(p.FloatFile?.GzipBytes), Number(p.Int8File?.Bytes), Number(p.Int8File?.GzipBytes),
                Number(p.FloatLatency?.P50Ms), Number(p.FloatLatency?.P90Ms), Number(p.FloatLatency?.P99Ms),
                Number(p.Int8Latency?.P50Ms), Number(p.Int8Latency?.P90Ms), Number(p.Int8Latency?.P99Ms),
                Number(p.MultiplyAccumulates), Number(p.NonzeroMultiplyAccumulates), Number(p.Seconds),
                p.Failure is null ? "" : "\"" + p.Failure.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
            ];
            csv.Append(string.Join(',', fields)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>Accuracy against sparsity, with the baseline as a line; file sizes against sparsity. Failed points have no marker.</summary>
    private static ChartSpec Chart(SweepSummary summary)
    {
        var done = summary.Points.Where(p => p.Succeeded).ToList();
        ChartLine Series(string label, Func<SweepPoint, double?> value)
        {
            var points = done.Where(p => value(p) is not null).ToList();
            return new ChartLine(label, [.. points.Select(p => p.Target)], [.. points.Select(p => value(p)!.Value)]);
        }
        var accuracy = new List<ChartLine>
        {
            Series("TorchSharp", p => p.TorchSharpAccuracy),
            Series("LiteRT, float file", p => p.LiteRtAccuracy),
            Series("LiteRT, int8 file", p => p.Int8Accuracy),
            new("baseline (TorchSharp)", [], [summary.BaselineAccuracy], LineKind.Reference),
        };
        var sizes = new List<ChartLine>
        {
            Series("float", p => p.FloatFile?.Bytes / 1024.0),
            Series("float, gzipped", p => p.FloatFile?.GzipBytes / 1024.0),
            Series("int8", p => p.Int8File?.Bytes / 1024.0),
            Series("int8, gzipped", p => p.Int8File?.GzipBytes / 1024.0),
            new("baseline float, gzipped", [], [summary.BaselineFile.GzipBytes / 1024.0], LineKind.Reference),
        };
        return new ChartSpec($"{summary.Model}: sparsity sweep on {summary.Data.Source}",
        [
            new ChartPanel("Test accuracy against sparsity", "target sparsity", "accuracy", [.. accuracy.Where(l => l.Y.Length > 0)], YPercent: true),
            new ChartPanel("File size against sparsity", "target sparsity", "KiB", [.. sizes.Where(l => l.Y.Length > 0)]),
        ]);
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("P2", CultureInfo.InvariantCulture) : "–";

    private static string Milliseconds(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) + " ms" : "–";

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
