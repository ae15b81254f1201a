using System.Globalization;

namespace Prune.LiteRt;

/// <summary>How many batch-1 inferences to time, after how many untimed ones.</summary>
/// <param name="WarmUp">Untimed runs first (JIT of the WebAssembly, caches).</param>
/// <param name="Runs">Timed runs.</param>
internal sealed record LatencyRuns(int WarmUp, int Runs)
{
    /// <summary>What reports and <c>dotnet prune profile</c> use: 50 untimed, then 1,000 timed runs.</summary>
    public static LatencyRuns Default { get; } = new(50, 1000);
}

/// <summary>Batch-1 inference time in LiteRT: percentiles over the timed runs, in milliseconds.</summary>
/// <param name="Runs">Timed runs.</param>
/// <param name="WarmUp">Untimed runs before them.</param>
/// <param name="MeanMs">Mean.</param>
/// <param name="P50Ms">Median.</param>
/// <param name="P90Ms">90th percentile.</param>
/// <param name="P99Ms">99th percentile.</param>
/// <param name="MinMs">Fastest run.</param>
/// <param name="MaxMs">Slowest run.</param>
internal sealed record Latency(int Runs, int WarmUp, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MinMs, double MaxMs)
{
    /// <summary>Summarizes <paramref name="milliseconds"/>, one per timed run; percentiles by nearest rank.</summary>
    public static Latency Of(IReadOnlyList<double> milliseconds, int warmUp)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0) throw new ArgumentException("No timed runs.", nameof(milliseconds));
        var sorted = milliseconds.Order().ToArray();
        double Percentile(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Latency(sorted.Length, warmUp, sorted.Average(), Percentile(0.50), Percentile(0.90), Percentile(0.99), sorted[0], sorted[^1]);
    }

    /// <summary>As reports print it: <c>p50 0.231 ms, p90 0.262 ms, p99 0.410 ms (1,000 runs)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50Ms:F3} ms, p90 {P90Ms:F3} ms, p99 {P99Ms:F3} ms ({Runs:N0} runs)");
}
