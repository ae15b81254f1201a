using System.Globalization;
using Prune.Build.Protocol;
using Prune.Sweep;
using Spectre.Console;

namespace Prune.Tool.Sweeping;

/// <summary>
/// Output redirected (a CI log, a file, a test): plain lines, one per message, phase and finished point; no escape
/// codes, nothing redrawn.
/// </summary>
internal sealed class PlainSweepDisplay(TextWriter output, TextWriter errors) : ISweepDisplay
{
    private (int Point, string Phase)? _last;
    private readonly System.Diagnostics.Stopwatch _phaseClock = new();
    private int _tenths;

    public void Line(HostMessage message) => Write(message, output, errors);

    /// <summary>A line when a phase starts, then one per tenth of its steps with the time left.</summary>
    public void Status(SweepStatus status)
    {
        if (status.Phase == "done") return;
        if (_last != (status.Point, status.Phase))
        {
            _last = (status.Point, status.Phase);
            _phaseClock.Restart();
            _tenths = 0;
            output.WriteLine(SweepText.Describe(status) + (status.Steps > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({status.Steps:N0} steps)") : ""));
            return;
        }
        if (status.Steps <= 0 || status.Step <= 0) return;
        var tenths = (int)(status.Step * 10 / status.Steps);
        if (tenths <= _tenths || tenths >= 10) return;
        _tenths = tenths;
        var left = _phaseClock.Elapsed * ((double)(status.Steps - status.Step) / status.Step);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{SweepText.Describe(status)} {tenths * 10} % ({status.Step:N0} of {status.Steps:N0} steps, about {Math.Ceiling(left.TotalMinutes):F0} min left)"));
    }

    public void Finished(SweepPoint point) => output.WriteLine(SweepText.Describe(point));

    /// <summary>Progress to <paramref name="output"/>; warnings and errors to <paramref name="errors"/>, with their codes.</summary>
    public static void Write(HostMessage message, TextWriter output, TextWriter errors)
    {
        switch (message.Kind)
        {
            case HostMessageKind.Error:
                errors.WriteLine($"error {message.Code}: {message.Text}");
                break;
            case HostMessageKind.Warning:
                errors.WriteLine($"warning {message.Code}: {message.Text}");
                break;
            default:
                output.WriteLine(message.Text);
                break;
        }
    }
}

/// <summary>An interactive console: a progress bar per point (steps done, time left), messages printed above them.</summary>
internal sealed class ProgressSweepDisplay(ProgressContext progress) : ISweepDisplay
{
    private readonly Dictionary<int, ProgressTask> _tasks = [];
    private readonly Dictionary<double, ProgressTask> _byTarget = [];

    public void Line(HostMessage message)
    {
        var color = message.Kind switch { HostMessageKind.Error => "red", HostMessageKind.Warning => "yellow", _ => "grey" };
        var prefix = message.Code.Length > 0 ? $"{message.Kind.ToString().ToLowerInvariant()} {message.Code}: " : "";
        AnsiConsole.MarkupLine($"[{color}]{Markup.Escape(prefix + message.Text)}[/]");
    }

    public void Status(SweepStatus status)
    {
        if (!_tasks.TryGetValue(status.Point, out var task))
        {
            task = progress.AddTask(Markup.Escape(SweepText.Describe(status)), maxValue: Math.Max(1, status.Steps));
            _tasks[status.Point] = task;
            if (status.Target is { } target) _byTarget[target] = task;
        }
        task.Description = Markup.Escape(SweepText.Describe(status));
        if (status.Phase == "measuring")
        {
            task.IsIndeterminate = true;
            return;
        }
        task.IsIndeterminate = false;
        task.MaxValue = Math.Max(1, status.Steps);
        task.Value = status.Phase == "done" ? task.MaxValue : status.Step;
        if (status.Phase == "done") task.StopTask();
    }

    public void Finished(SweepPoint point)
    {
        if (_byTarget.TryGetValue(point.Target, out var task))
        {
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.Description = Markup.Escape(SweepText.Describe(point));
            task.StopTask();
        }
    }
}

/// <summary>How a sweep's positions and points read on the console.</summary>
internal static class SweepText
{
    public static string Describe(SweepStatus status) => status.Target is { } target
        ? string.Create(CultureInfo.InvariantCulture, $"[{status.Point}/{status.Points}] {target:P0}: {status.Phase}")
        : $"baseline: {status.Phase}";

    public static string Describe(SweepPoint point) => point.Succeeded
        ? string.Create(CultureInfo.InvariantCulture,
            $"{point.Target:P0}: sparsity {point.Sparsity:P1}, accuracy {point.TorchSharpAccuracy:P2} (LiteRT float {Percent(point.LiteRtAccuracy)}, int8 {Percent(point.Int8Accuracy)}), {point.FloatFile?.GzipBytes:N0} bytes gzipped, {point.Seconds:F0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{point.Target:P0}: failed: {point.Failure}");

    private static string Percent(double? value) => value?.ToString("P2", CultureInfo.InvariantCulture) ?? "–";
}
