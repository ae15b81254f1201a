using Prune.Charts;
using Prune.Specs;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>A report chart: the link the report gives it and what it shows.</summary>
/// <param name="Link">Its file name and title.</param>
/// <param name="Chart">Its content, for the renderer.</param>
internal sealed record PlannedChart(ReportChart Link, ChartSpec Chart);

/// <summary>A chart drawn for the report.</summary>
/// <param name="Link">Its file name and title.</param>
/// <param name="Png">The image.</param>
internal sealed record DrawnChart(ReportChart Link, byte[] Png);

/// <summary>
/// What the report's charts show, as data: loss and accuracy per epoch of the baseline and of fine-tuning (epochs
/// numbered on, so fine-tuning continues where the baseline stopped), and the sparsity schedule as it ran (what the
/// schedules asked for and what the masks reached at every mask update).
/// </summary>
internal static class ReportCharts
{
    /// <summary>The charts <paramref name="renderer"/> could draw (none without one).</summary>
    public static IReadOnlyList<DrawnChart> Draw(IChartRenderer? renderer, ModelSpec spec, BaselineResult baseline, FineTuneResult fineTuning, double prunedAccuracy)
    {
        if (renderer is null) return [];
        var charts = new List<PlannedChart> { Training(spec, baseline, fineTuning, prunedAccuracy) };
        if (fineTuning.Schedule.Count > 0) charts.Add(Sparsity(spec, fineTuning));
        return [.. charts.Select(c => renderer.RenderPng(c.Chart.ToJson()) is { } png ? new DrawnChart(c.Link, png) : null).OfType<DrawnChart>()];
    }

    private static PlannedChart Training(ModelSpec spec, BaselineResult baseline, FineTuneResult fineTuning, double prunedAccuracy)
    {
        var first = baseline.History.Count;
        ChartLine Phase(string label, IReadOnlyList<EpochSummary> epochs, int offset, Func<EpochSummary, double> value) =>
            new(label, [.. epochs.Select(e => (double)(e.Epoch + offset))], [.. epochs.Select(value)]);
        var loss = new List<ChartLine>();
        var accuracy = new List<ChartLine>();
        if (first > 0)
        {
            loss.Add(Phase("baseline (training)", baseline.History, 0, e => e.Loss));
            accuracy.Add(Phase("baseline (training)", baseline.History, 0, e => e.Accuracy));
        }
        if (fineTuning.History.Count > 0)
        {
            loss.Add(Phase("pruning while fine-tuning", fineTuning.History, first, e => e.Loss));
            accuracy.Add(Phase("pruning while fine-tuning", fineTuning.History, first, e => e.Accuracy));
        }
        accuracy.Add(new ChartLine("baseline, test set", [], [baseline.Accuracy], LineKind.Reference));
        accuracy.Add(new ChartLine("pruned, test set", [], [prunedAccuracy], LineKind.Reference));
        var title = baseline.FromCache && first == 0 ? $"{spec.Name} (baseline reused from the cache, its epochs unrecorded)" : spec.Name;
        return new PlannedChart(new ReportChart($"{spec.Name}.training.png", "Loss and accuracy per epoch"), new ChartSpec(title,
        [
            new ChartPanel("Training loss per epoch", "epoch", "loss", loss),
            new ChartPanel("Accuracy per epoch", "epoch", "accuracy", accuracy, YPercent: true),
        ]));
    }

    private static PlannedChart Sparsity(ModelSpec spec, FineTuneResult fineTuning)
    {
        // Each mask holds until the next update: extend the last one to the end of fine-tuning.
        var steps = fineTuning.Schedule.Append(fineTuning.Schedule[^1] with { Step = fineTuning.Steps }).ToList();
        double[] x = [.. steps.Select(s => (double)s.Step)];
        return new PlannedChart(new ReportChart($"{spec.Name}.sparsity.png", "Sparsity schedule as it ran"), new ChartSpec(spec.Name,
        [
            new ChartPanel("Sparsity at each mask update", "fine-tuning step", "sparsity of the pruned weights",
            [
                new ChartLine("achieved (the masks)", x, [.. steps.Select(s => s.Achieved)], LineKind.Steps),
                new ChartLine("target (the schedules)", x, [.. steps.Select(s => s.Target)], LineKind.Steps, Dashed: true),
            ], YPercent: true),
        ]));
    }
}
