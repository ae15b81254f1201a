using System.Text.Json;

namespace Prune.Pipeline;

/// <summary>Renders a <see cref="PruneReport"/> as <c>&lt;Model&gt;.report.json</c>, for CI checks and dashboards.</summary>
internal static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Render(PruneReport report)
    {
        var spec = report.Model;
        var document = new
        {
            model = spec.Name,
            type = spec.TypeName,
            inputShape = spec.InputShape.ToArray(),
            parameters = spec.ParameterCount,
            data = report.Data,
            accuracy = new
            {
                baseline = report.Baseline.Accuracy,
                pruned = report.PrunedAccuracy,
                int8 = report.Verification.Int8Samples > 0 ? report.Verification.Int8Accuracy : (double?)null,
            },
            overallSparsity = report.Sparsity.OverallSparsity(),
            layers = report.Sparsity.Select(l => new
            {
                name = l.Layer,
                schedule = spec.Layers.FirstOrDefault(s => s.Name == l.Layer)?.Pruning?.Schedule.ToString(),
                target = l.Target,
                achieved = l.Achieved,
                zeros = l.Zeros,
                parameters = l.Parameters,
            }),
            files = report.Sizes,
            liteRt = report.Verification,
            onnxRuntime = report.OnnxVerification,
            training = new
            {
                optimizer = report.Training.Optimizer.ToString(),
                baseline = report.Baseline,
                fineTuning = report.FineTuning,
                batchSize = report.Training.BatchSize,
                seed = report.Training.Seed,
            },
            preprocessing = report.Preprocessing is { } s && report.FeatureNames is { } names
                ? names.Select((name, i) => new { feature = name, mean = s.Mean[i], std = s.Std[i] })
                : null,
            durationSeconds = report.Duration.TotalSeconds,
        };
        return JsonSerializer.Serialize(document, Options) + "\n";
    }
}
