using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prune.Charts;

// A chart as data. The runtime decides what a report's charts show and sends them as JSON; Prune.Charts draws them.
// This file is compiled into both (Prune.Charts runs in a load context of its own, so no type crosses between them:
// JSON does).

/// <summary>A chart: panels side by side under one title.</summary>
/// <param name="Title">The title above the panels.</param>
/// <param name="Panels">The panels, left to right.</param>
internal sealed record ChartSpec(string Title, IReadOnlyList<ChartPanel> Panels)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ChartSpec FromJson(string json) =>
        JsonSerializer.Deserialize<ChartSpec>(json, Json) ?? throw new ArgumentException("The chart is empty.", nameof(json));
}

/// <summary>One panel: axes and the lines on them.</summary>
/// <param name="Title">Above the panel.</param>
/// <param name="XLabel">Under the horizontal axis.</param>
/// <param name="YLabel">Beside the vertical axis.</param>
/// <param name="Lines">What is drawn, in legend order.</param>
/// <param name="YPercent">Whether the vertical axis shows fractions as percentages.</param>
internal sealed record ChartPanel(string Title, string XLabel, string YLabel, IReadOnlyList<ChartLine> Lines, bool YPercent = false);

/// <summary>A line through points; <see cref="LineKind.Reference"/> is a dashed horizontal line at <c>Y[0]</c>.</summary>
/// <param name="Label">Its legend entry.</param>
/// <param name="X">Horizontal positions (empty for a reference line).</param>
/// <param name="Y">Values.</param>
/// <param name="Kind">How it is drawn.</param>
/// <param name="Dashed">Dashed and thinner, so that a line it covers shows through.</param>
internal sealed record ChartLine(string Label, double[] X, double[] Y, LineKind Kind = LineKind.Points, bool Dashed = false);

/// <summary>How a <see cref="ChartLine"/> is drawn.</summary>
internal enum LineKind
{
    /// <summary>Markers joined by straight lines.</summary>
    Points,
    /// <summary>A staircase: each value holds until the next point (a mask holds until its next update).</summary>
    Steps,
    /// <summary>A dashed horizontal line across the panel.</summary>
    Reference,
}
