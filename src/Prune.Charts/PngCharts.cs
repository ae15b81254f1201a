using ScottPlot;

namespace Prune.Charts;

/// <summary>
/// The one entry point of Prune.Charts: a chart described as JSON (<see cref="ChartSpec"/>) in, PNG bytes out. The host
/// calls it by reflection across load contexts, so it takes and returns only what every context shares.
/// </summary>
public static class PngCharts
{
    private const int PanelWidth = 640;
    private const int PanelHeight = 480;

    /// <summary>Draws the chart <paramref name="chartJson"/> describes, its panels side by side.</summary>
    public static byte[] Render(string chartJson)
    {
        var chart = ChartSpec.FromJson(chartJson);
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        // A multiplot starts with one plot: draw the first panel on it.
        while (multiplot.Count() < chart.Panels.Count) multiplot.AddPlot();
        for (var i = 0; i < chart.Panels.Count; i++) Draw(multiplot.GetPlot(i), chart.Panels[i], i == 0 ? chart.Title : null);
        return multiplot.Render(PanelWidth * chart.Panels.Count, PanelHeight).GetImageBytes(ImageFormat.Png, 100);
    }

    private static void Draw(Plot plot, ChartPanel panel, string? chartTitle)
    {
        plot.Title(chartTitle is null ? panel.Title : $"{chartTitle}\n{panel.Title}", size: 14);
        plot.Axes.Bottom.Label.Text = panel.XLabel;
        plot.Axes.Left.Label.Text = panel.YLabel;
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < panel.Lines.Count; i++)
        {
            var line = panel.Lines[i];
            var color = palette.GetColor(i);
            if (line.Kind == LineKind.Reference)
            {
                var reference = plot.Add.HorizontalLine(line.Y[0], 1.5f, color, LinePattern.Dashed);
                reference.LegendText = line.Label;
                continue;
            }
            var scatter = plot.Add.Scatter(line.X, line.Y, color);
            scatter.LegendText = line.Label;
            scatter.LineWidth = line.Dashed ? 2f : 3f;
            if (line.Dashed) scatter.LinePattern = LinePattern.Dashed;
            if (line.Kind == LineKind.Steps)
            {
                scatter.ConnectStyle = ConnectStyle.StepHorizontal;
                scatter.MarkerSize = 0;
            }
            else
            {
                scatter.MarkerSize = 6;
            }
        }
        if (panel.YPercent)
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = value => $"{value * 100:0.##} %" };
        // Below the axes, not over them: a falling curve ends where an inside legend would sit.
        if (panel.Lines.Count > 1) plot.ShowLegend(Edge.Bottom);
    }
}
