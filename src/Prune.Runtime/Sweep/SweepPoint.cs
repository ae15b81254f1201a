using Prune.LiteRt;
using Prune.Pipeline;

namespace Prune.Sweep;

/// <summary>
/// One target of a sweep and what pruning to it gave: accuracies on all test samples, file sizes, batch-1 latency and
/// multiply-accumulates; or, when it failed (diverged, say), why. Failed points are kept: they are results too.
/// </summary>
internal sealed record SweepPoint
{
    /// <summary>The sparsity every pruned layer aimed at.</summary>
    public required double Target { get; init; }

    /// <summary>Why the point failed (the pipeline's message), or null when it succeeded.</summary>
    public string? Failure { get; init; }

    /// <summary>The sparsity reached over all pruned weights.</summary>
    public double? Sparsity { get; init; }

    /// <summary>The stripped model's test accuracy in TorchSharp.</summary>
    public double? TorchSharpAccuracy { get; init; }

    /// <summary>The float file's test accuracy in LiteRT; null when LiteRT did not run.</summary>
    public double? LiteRtAccuracy { get; init; }

    /// <summary>The int8 file's test accuracy in LiteRT; null without int8 or LiteRT.</summary>
    public double? Int8Accuracy { get; init; }

    /// <summary>The float file as written (sparse where smaller): raw and gzipped bytes.</summary>
    public FileSize? FloatFile { get; init; }

    /// <summary>The int8 file: raw and gzipped bytes.</summary>
    public FileSize? Int8File { get; init; }

    /// <summary>The float file's batch-1 time in LiteRT.</summary>
    public Latency? FloatLatency { get; init; }

    /// <summary>The int8 file's batch-1 time in LiteRT.</summary>
    public Latency? Int8Latency { get; init; }

    /// <summary>Multiply-accumulates per sample of the float file, and those on nonzero weights.</summary>
    public long? MultiplyAccumulates { get; init; }

    /// <summary>Multiply-accumulates on nonzero weights: what pruning leaves to compute.</summary>
    public long? NonzeroMultiplyAccumulates { get; init; }

    /// <summary>The files written for this point, by name, in the sweep's folder.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Wall-clock seconds the point took (fine-tuning, export, measuring).</summary>
    public double Seconds { get; init; }

    /// <summary>Whether the point succeeded.</summary>
    public bool Succeeded => Failure is null;
}

/// <summary>A sweep so far: the baseline every point started from, and the points finished, in target order.</summary>
internal sealed record SweepSummary
{
    /// <summary>The model's class name.</summary>
    public required string Model { get; init; }

    /// <summary>The data the sweep trained and tested on.</summary>
    public required DataDescription Data { get; init; }

    /// <summary>The baseline's test accuracy in TorchSharp.</summary>
    public required double BaselineAccuracy { get; init; }

    /// <summary>Whether the baseline came from the cache rather than training.</summary>
    public required bool BaselineFromCache { get; init; }

    /// <summary>The baseline as a dense float file.</summary>
    public required FileSize BaselineFile { get; init; }

    /// <summary>Every target asked for, ascending.</summary>
    public required IReadOnlyList<double> Targets { get; init; }

    /// <summary>The points finished so far, in target order.</summary>
    public required IReadOnlyList<SweepPoint> Points { get; init; }

    /// <summary>Whether the sweep was stopped (Ctrl+C) before every target was done.</summary>
    public bool Stopped { get; init; }
}
