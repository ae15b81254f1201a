using Prune.Data;
using Prune.Pruning;
using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>Everything the report on one pruned model says; rendered as Markdown and as JSON.</summary>
internal sealed record PruneReport
{
    /// <summary>The model as declared.</summary>
    public required ModelSpec Model { get; init; }
    /// <summary>The data it was trained and evaluated on.</summary>
    public required DataDescription Data { get; init; }
    /// <summary>The training settings used (after the build's overrides).</summary>
    public required TrainingSpec Training { get; init; }
    /// <summary>The baseline.</summary>
    public required BaselineResult Baseline { get; init; }
    /// <summary>Fine-tuning with pruning.</summary>
    public required FineTuneResult FineTuning { get; init; }
    /// <summary>Test accuracy of the stripped model in TorchSharp.</summary>
    public required double PrunedAccuracy { get; init; }
    /// <summary>Sparsity of every weight layer after strip.</summary>
    public required IReadOnlyList<LayerSparsity> Sparsity { get; init; }
    /// <summary>Sizes of the exported files.</summary>
    public required IReadOnlyList<FileSize> Sizes { get; init; }
    /// <summary>What LiteRT said about them.</summary>
    public required VerificationResult Verification { get; init; }
    /// <summary>What ONNX Runtime said about the .onnx file; null when none was written.</summary>
    public OnnxVerificationResult? OnnxVerification { get; init; }
    /// <summary>For CSV data: the standardization inputs need before they reach the model.</summary>
    public Standardization? Preprocessing { get; init; }
    /// <summary>For CSV data: the feature columns in input order.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }
    /// <summary>What the written float file holds, as <see cref="Export.TfLiteInspector"/> reads it back: ops, tensors, sparsity.</summary>
    public required string FloatFileContents { get; init; }
    /// <summary>Time the whole pipeline took for this model.</summary>
    public required TimeSpan Duration { get; init; }
}

/// <summary>Sums over the pruned layers of a sparsity report.</summary>
internal static class SparsitySummary
{
    /// <summary>The fraction of zeros over all pruned layers' weights together; 0 when nothing is pruned.</summary>
    public static double OverallSparsity(this IReadOnlyList<LayerSparsity> layers)
    {
        var pruned = layers.Where(l => l.Target is not null).ToList();
        var parameters = pruned.Sum(l => l.Parameters);
        return parameters == 0 ? 0 : (double)pruned.Sum(l => l.Zeros) / parameters;
    }
}
