namespace Prune.Pipeline;

/// <summary>
/// Draws a report's chart as a PNG. The pipeline decides what a chart shows and hands it over as JSON; Prune's host
/// supplies the renderer (Prune.Charts, on ScottPlot, loaded apart from the user's assemblies). Without one, reports
/// have no charts.
/// </summary>
internal interface IChartRenderer
{
    /// <summary>The PNG bytes of the chart <paramref name="chartJson"/> describes; null when it cannot be drawn here (a
    /// chart is worth no failed build: the report then leaves it out).</summary>
    byte[]? RenderPng(string chartJson);
}
