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
            weightStorage = WeightStorageReport.Of(spec, report.TfLiteFiles),
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
            operators = report.Costs,
            signatures = report.TfLiteFiles.SelectMany(f => f.Contents.Signatures.Select(signature => new
            {
                file = f.File,
                key = signature.Key,
                inputs = Tensors(f.Contents, signature.Inputs),
                outputs = Tensors(f.Contents, signature.Outputs),
            })),
            pixelScale = report.Preprocessing.PixelScale,
            preprocessing = report.Preprocessing switch
            {
                { Features: { } names, Mean: { } mean, Std: { } std } => names.Select((name, i) => (object)new { feature = name, mean = mean[i], std = std[i] }),
                { PixelMean: { } mean, PixelStd: { } std } => mean.Select((m, c) => (object)new { channel = c, mean = m, std = std[c] }),
                _ => null,
            },
            charts = report.Charts.Select(c => c.File),
            durationSeconds = report.Duration.TotalSeconds,
        };
        if (report.Shrunk.Count == 0) return JsonSerializer.Serialize(document, Options) + "\n";
        // Only a filter-pruned model's report has the key: the others' reports stay as they were.
        var json = JsonSerializer.SerializeToNode(document, Options)!.AsObject();
        var layers = json["layers"]!.AsArray();
        foreach (var (layer, node) in report.Sparsity.Zip(layers))
        {
            if (layer.Removed is not { } removed) continue;
            node!.AsObject()["removed"] = JsonSerializer.SerializeToNode(new
            {
                outputsKept = removed.OutputsKept,
                outputs = removed.Outputs,
                inputsKept = removed.InputsKept,
                inputs = removed.Inputs,
                weightsKept = removed.WeightsKept,
                fraction = 1 - ((double)removed.WeightsKept / layer.Parameters),
            }, Options);
        }
        json["shrunk"] = JsonSerializer.SerializeToNode(report.Shrunk.Select(r => new
        {
            layer = r.Layer,
            outputBefore = r.OutputBefore.ToArray(),
            outputAfter = r.OutputAfter.ToArray(),
            parametersBefore = r.ParametersBefore,
            parametersAfter = r.ParametersAfter,
            multiplyAccumulatesBefore = r.MultiplyAccumulatesBefore,
            multiplyAccumulatesAfter = r.MultiplyAccumulatesAfter,
        }), Options);
        return json.ToJsonString(Options) + "\n";
    }

    private static IEnumerable<object> Tensors(Export.TfLiteModelInfo contents, IReadOnlyDictionary<string, int> tensors) =>
        tensors.Select(t => new { name = t.Key, dtype = ReportSignatures.TypeName(contents.Tensors[t.Value].Type), shape = contents.Tensors[t.Value].Shape });
}
