using System.Globalization;
using System.Text;
using Prune.Export;
using Prune.Pruning;
using Prune.Specs;
using Prune.Specs.Rules;

namespace Prune.Pipeline;

/// <summary>Renders a <see cref="PruneReport"/> as the <c>&lt;Model&gt;.report.md</c> a user reads after a build.</summary>
internal static class ReportMarkdown
{
    public static string Render(PruneReport report)
    {
        var md = new StringBuilder();
        var spec = report.Model;
        var v = report.Verification;
        Line(md, $"# {spec.Name}: pruning report");
        Line(md, "");
        Line(md, $"`{spec.TypeName}`, input {spec.InputShape}, {spec.ParameterCount:N0} parameters. Data: {report.Data.Source} ({report.Data.TrainSamples:N0} training, {report.Data.TestSamples:N0} test samples). Built in {report.Duration.TotalSeconds:F0} s.");
        Line(md, "");
        Line(md, "## Accuracy on the test set");
        Line(md, "");
        Line(md, "| model | accuracy | measured by |");
        Line(md, "|---|---:|---|");
        Line(md, $"| baseline | {report.Baseline.Accuracy:P2} | TorchSharp, {report.Data.TestSamples:N0} samples |");
        Line(md, $"| pruned, stripped | {report.PrunedAccuracy:P2} | TorchSharp, {report.Data.TestSamples:N0} samples |");
        if (v.Ran) Line(md, $"| pruned, float `.tflite` | {v.FloatAccuracy:P2} | LiteRT, {Samples(v.FloatSamples, report.Data.TestSamples)} |");
        if (v.Int8Samples > 0) Line(md, $"| pruned, int8 `.tflite` | {v.Int8Accuracy:P2} | LiteRT, {Samples(v.Int8Samples, report.Data.TestSamples)} |");
        Line(md, "");
        var removedNote = report.Sparsity.Any(l => l.Removed is not null) ? " (the weights filter pruning removed count as zeros)" : "";
        Line(md, $"Sparsity of the pruned layers: **{report.Sparsity.OverallSparsity():P1}**{removedNote}.");
        Line(md, "");
        if (report.Charts.Count > 0)
        {
            Line(md, "## Charts");
            Line(md, "");
            foreach (var chart in report.Charts) Line(md, $"![{chart.Title}]({chart.File})");
            Line(md, "");
        }
        Line(md, "## Sparsity per layer");
        Line(md, "");
        Line(md, "| layer | schedule | target | achieved | zeros | weights |");
        Line(md, "|---|---|---:|---:|---:|---:|");
        foreach (var layer in report.Sparsity)
        {
            var declaredLayer = spec.Layers.FirstOrDefault(l => l.Name == layer.Layer);
            var declared = declaredLayer?.Pruning;
            var schedule = declared is null ? "not pruned" : Describe(declared);
            var target = layer.Target is double t ? Target(t, declaredLayer!) : "–";
            var achieved = layer.Removed is { } removed ? Removed(layer, removed, declaredLayer!) : layer.Achieved.ToString("P2", CultureInfo.InvariantCulture);
            Line(md, $"| {layer.Layer} | {schedule} | {target} | {achieved} | {layer.Zeros:N0} | {layer.Parameters:N0} |");
        }
        Line(md, "");
        RenderShrunk(md, report);
        RenderCosts(md, report);
        Line(md, "## Files");
        Line(md, "");
        Line(md, "| file | bytes | gzipped | gzipped, share of baseline |");
        Line(md, "|---|---:|---:|---:|");
        var baselineGzip = report.Sizes[0].GzipBytes;
        foreach (var size in report.Sizes)
            Line(md, $"| {size.File} | {size.Bytes:N0} | {size.GzipBytes:N0} | {(double)size.GzipBytes / baselineGzip:P0} |");
        Line(md, "");
        var written = new List<string> { $"`{spec.Name}.tflite` (pruned, float)" };
        if (report.Sizes.Any(s => s.File == FileSizes.Int8)) written.Add($"`{spec.Name}.int8.tflite` (pruned, int8)");
        if (report.OnnxVerification is not null) written.Add($"`{spec.Name}.onnx` (pruned, float; input `input` [batch, {string.Join(", ", spec.InputShape.ToArray())}], output `probabilities`)");
        Line(md, $"Written: {string.Join(", ", written)}.");
        Line(md, "");
        RenderWeightStorage(md, report);
        RenderLatency(md, v);
        ReportSignatures.Render(md, report);
        Line(md, $"<details><summary>What {spec.Name}.tflite holds (read back from the file)</summary>");
        Line(md, "");
        Line(md, "```");
        md.Append(TfLiteInspector.Describe(report.TfLiteFiles[0].Contents).TrimEnd()).Append('\n');
        Line(md, "```");
        Line(md, "");
        Line(md, "</details>");
        Line(md, "");
        Line(md, "## Checked in LiteRT");
        Line(md, "");
        if (!v.Ran)
        {
            Line(md, $"Not checked: {v.Note}");
        }
        else
        {
            Line(md, $"- float file: largest difference from TorchSharp's probabilities {v.FloatMaxAbsDifference:E2}, same class on {v.FloatTop1Agreement:P0} of {v.FloatSamples:N0} test samples.");
            if (v.Int8Samples > 0) Line(md, $"- int8 file: same class as the float model on {v.Int8Top1Agreement:P2} of {v.Int8Samples:N0} test samples.");
        }
        if (report.OnnxVerification is { } onnx)
        {
            Line(md, "");
            Line(md, "## Checked in ONNX Runtime");
            Line(md, "");
            Line(md, $"- `.onnx` file: largest difference from TorchSharp's probabilities {onnx.MaxAbsDifference:E2}, same class on {onnx.Top1Agreement:P0} of {onnx.Samples:N0} test samples (one batch).");
        }
        Line(md, "");
        Line(md, "## Training");
        Line(md, "");
        var t2 = report.Training;
        Line(md, "| phase | epochs | learning rate | batch | time |");
        Line(md, "|---|---:|---:|---:|---:|");
        Line(md, $"| baseline ({t2.Optimizer}{(report.Baseline.FromCache ? ", loaded from obj/ cache" : "")}) | {report.Baseline.Epochs} | {t2.LearningRate:G4} | {t2.BatchSize} | {report.Baseline.Duration.TotalSeconds:F0} s |");
        Line(md, $"| pruning while fine-tuning ({report.FineTuning.Steps:N0} steps) | {report.FineTuning.Epochs} | {report.FineTuning.LearningRate:G4} | {t2.BatchSize} | {report.FineTuning.Duration.TotalSeconds:F0} s |");
        return md.ToString();
    }

    /// <summary>Filter pruning's strip: what each layer outputs, holds and computes before and after channels left it.</summary>
    private static void RenderShrunk(StringBuilder md, PruneReport report)
    {
        if (report.Shrunk.Count == 0) return;
        var rows = report.Shrunk;
        Line(md, "## Channels removed");
        Line(md, "");
        Line(md, "Filter pruning removed whole channels, and strip built a smaller dense model without them: the exported files hold it. Per layer and sample, the declared model (before) and the exported one (after):");
        Line(md, "");
        Line(md, "| layer | output before | output after | parameters before | after | MACs before | after |");
        Line(md, "|---|---|---|---:|---:|---:|---:|");
        foreach (var r in rows)
            Line(md, $"| {r.Layer} | {r.OutputBefore} | {r.OutputAfter} | {r.ParametersBefore:N0} | {r.ParametersAfter:N0} | {r.MultiplyAccumulatesBefore:N0} | {r.MultiplyAccumulatesAfter:N0} |");
        long parametersBefore = rows.Sum(r => r.ParametersBefore), parametersAfter = rows.Sum(r => r.ParametersAfter);
        long macsBefore = rows.Sum(r => r.MultiplyAccumulatesBefore), macsAfter = rows.Sum(r => r.MultiplyAccumulatesAfter);
        Line(md, $"| **total** | | | **{parametersBefore:N0}** | **{parametersAfter:N0}** ({(double)parametersAfter / parametersBefore:P1}) | **{macsBefore:N0}** | **{macsAfter:N0}** ({(double)macsAfter / Math.Max(1, macsBefore):P1}) |");
        Line(md, "");
    }

    /// <summary>MACs per layer, from the float file: what the pruned model computes per sample.</summary>
    private static void RenderCosts(StringBuilder md, PruneReport report)
    {
        var costs = report.Costs.Where(c => c.MultiplyAccumulates > 0).ToList();
        if (costs.Count == 0) return;
        var total = costs.Sum(c => c.MultiplyAccumulates);
        var nonzero = costs.Sum(c => c.NonzeroMultiplyAccumulates);
        Line(md, "## Multiply-accumulates per layer");
        Line(md, "");
        Line(md, $"Per inference of one sample, read from `{report.TfLiteFiles[0].File}` (a folded BatchNorm is part of its layer). A dense kernel computes every MAC; those on nonzero weights are what pruning leaves to compute.");
        Line(md, "");
        Line(md, "| layer | operator | MACs | share | on nonzero weights | parameters |");
        Line(md, "|---|---|---:|---:|---:|---:|");
        foreach (var c in costs)
            Line(md, $"| {c.Layer} | {c.Operator} | {c.MultiplyAccumulates:N0} | {(double)c.MultiplyAccumulates / total:P1} | {c.NonzeroMultiplyAccumulates:N0} | {c.Parameters:N0} |");
        Line(md, $"| **total** | | **{total:N0}** | 100 % | **{nonzero:N0}** ({(double)nonzero / total:P1}) | {costs.Sum(c => c.Parameters):N0} |");
        Line(md, "");
    }

    /// <summary>Each weight's layout in each file, as read back: the exporter picks the smallest LiteRT runs.</summary>
    private static void RenderWeightStorage(StringBuilder md, PruneReport report)
    {
        var rows = WeightStorageReport.Of(report.Model, report.TfLiteFiles);
        if (rows.Count == 0) return;
        Line(md, "## Weight storage");
        Line(md, "");
        Line(md, "Per weight tensor, the smallest layout LiteRT runs for its operator: dense, CSR (float FULLY_CONNECTED reads it directly, convolutions through a DENSIFY op), or blocks (float FULLY_CONNECTED 1x4, int8 FULLY_CONNECTED 1x16). Bytes are the stored values, without their indices.");
        Line(md, "");
        Line(md, "| file | layer | read by | layout | bytes | note |");
        Line(md, "|---|---|---|---|---:|---|");
        foreach (var r in rows) Line(md, $"| {r.File} | {r.Layer} | {r.Operator} | {r.Layout} | {r.Bytes:N0} | {r.Note ?? ""} |");
        Line(md, "");
    }

    private static void RenderLatency(StringBuilder md, VerificationResult v)
    {
        if (v.FloatLatency is not { } floatLatency) return;
        Line(md, "## Speed in LiteRT");
        Line(md, "");
        Line(md, $"Batch-1 inference in LiteRT (`@litertjs/core`, WebAssembly CPU, one thread), {floatLatency.WarmUp} untimed runs, then {floatLatency.Runs:N0} timed: each run makes the input tensor, runs the model and reads the output. Measured during the build, on a machine that may be busy.");
        Line(md, "");
        Line(md, "| file | p50 | p90 | p99 | mean |");
        Line(md, "|---|---:|---:|---:|---:|");
        Line(md, $"| pruned, float | {floatLatency.P50Ms:F3} ms | {floatLatency.P90Ms:F3} ms | {floatLatency.P99Ms:F3} ms | {floatLatency.MeanMs:F3} ms |");
        if (v.Int8Latency is { } int8) Line(md, $"| pruned, int8 | {int8.P50Ms:F3} ms | {int8.P90Ms:F3} ms | {int8.P99Ms:F3} ms | {int8.MeanMs:F3} ms |");
        Line(md, "");
    }

    private static string Samples(long count, long all) => count == all
        ? string.Create(CultureInfo.InvariantCulture, $"all {count:N0} samples")
        : string.Create(CultureInfo.InvariantCulture, $"first {count:N0} samples");

    /// <summary>The target sparsity; for filter pruning also the channels it keeps (<see cref="PruningRules.KeptChannels"/>).</summary>
    private static string Target(double target, LayerSpec layer)
    {
        var text = target.ToString("P1", CultureInfo.InvariantCulture);
        if (layer.Pruning?.Filter is null || layer.Weight is not { } weight) return text;
        return string.Create(CultureInfo.InvariantCulture, $"{text}: keep {PruningRules.KeptChannels(weight.Rows, target)} of {weight.Rows} {Outputs(layer)}");
    }

    /// <summary>What filter pruning removed from a layer's weight: the fraction of its weights, the channels (and inputs) kept,
    /// and the zeros among the weights that stayed, if any.</summary>
    private static string Removed(LayerSparsity layer, WeightRemoval removed, LayerSpec declared)
    {
        var kept = new List<string>();
        if (removed.OutputsKept != removed.Outputs) kept.Add(string.Create(CultureInfo.InvariantCulture, $"{removed.OutputsKept} of {removed.Outputs} {Outputs(declared)}"));
        if (removed.InputsKept != removed.Inputs) kept.Add(string.Create(CultureInfo.InvariantCulture, $"{removed.InputsKept} of {removed.Inputs} inputs"));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{1 - ((double)removed.WeightsKept / layer.Parameters):P2} of weights removed: {string.Join(", ", kept)} kept");
        var zerosKept = layer.Zeros - (layer.Parameters - removed.WeightsKept);
        if (zerosKept > 0) text += string.Create(CultureInfo.InvariantCulture, $"; {(double)zerosKept / removed.WeightsKept:P2} of those kept are zero");
        return text;
    }

    private static string Outputs(LayerSpec layer) => layer.Kind == "Dense" ? "units" : "channels";

    private static string Describe(Specs.PruningSpec pruning)
    {
        var text = pruning.Schedule.ToString();
        if (pruning.Block is { } block) text += $", blocks {block} ({pruning.BlockPooling})";
        if (pruning.MByN is { } mByN) text += $", {mByN}";
        if (pruning.Filter is { } filter) text += $", filters ({filter})";
        return text;
    }

    internal static void Line(StringBuilder md, FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    internal static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
