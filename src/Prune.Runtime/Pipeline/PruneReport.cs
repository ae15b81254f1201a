using Prune.Export;
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
    /// <summary>Each layer before and after filter pruning removed channels; empty when none were.</summary>
    public IReadOnlyList<ShrunkLayer> Shrunk { get; init; } = [];
    /// <summary>Sizes of the exported files.</summary>
    public required IReadOnlyList<FileSize> Sizes { get; init; }
    /// <summary>What LiteRT said about them.</summary>
    public required VerificationResult Verification { get; init; }
    /// <summary>What ONNX Runtime said about the .onnx file; null when none was written.</summary>
    public OnnxVerificationResult? OnnxVerification { get; init; }
    /// <summary>What inputs need before they reach the model: MNIST's pixel scaling or the CSV standardization.</summary>
    public required InputPreprocessing Preprocessing { get; init; }
    /// <summary>The written .tflite files, read back: what a caller sees of them (signatures, tensors).</summary>
    public required IReadOnlyList<ReadBackFile> TfLiteFiles { get; init; }
    /// <summary>What each operator of the float file costs per inference (<see cref="OperatorCosts"/>).</summary>
    public required IReadOnlyList<OperatorCost> Costs { get; init; }
    /// <summary>The PNG charts written beside the report, by file name; none without a chart renderer.</summary>
    public IReadOnlyList<ReportChart> Charts { get; init; } = [];
    /// <summary>Time the whole pipeline took for this model.</summary>
    public required TimeSpan Duration { get; init; }
}

/// <summary>An exported .tflite file as <see cref="TfLiteReader"/> reads it back.</summary>
/// <param name="File">Its file name.</param>
/// <param name="Contents">What it holds.</param>
internal sealed record ReadBackFile(string File, TfLiteModelInfo Contents);

/// <summary>A chart written beside the report.</summary>
/// <param name="File">Its file name.</param>
/// <param name="Title">What it shows, as the report's link says it.</param>
internal sealed record ReportChart(string File, string Title);

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
