using System.Globalization;
using System.Text.Json;
using Prune.Sweep;
using Prune.Tool.Sweeping;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Prune.Tool.Commands;

/// <summary>
/// <c>dotnet prune sweep</c>: builds the project, then has Prune's host train (or reuse) the baseline once and prune it
/// to each target (<see cref="SparsitySweep"/>); shows progress, and prints the table at the end. Exit code 0 when
/// every target was tried (a failed point is a result), 130 when stopped with Ctrl+C (the finished points are kept),
/// 1 when the sweep could not run.
/// </summary>
internal sealed class SweepCommand : AsyncCommand<SweepSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, SweepSettings settings, CancellationToken cancellationToken)
    {
        var model = settings.Model is { Length: > 0 } m ? m : throw new ToolException("--model is required: name the [Model] class to sweep.");
        IReadOnlyList<double> targets;
        try
        {
            targets = SweepTargets.Parse(settings.Targets);
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"--targets: {e.Message}");
        }
        if (settings.Epochs is < 1) throw new ToolException($"--epochs must be at least 1, not {settings.Epochs}.");
        if (settings.TrainLimit is < 1) throw new ToolException($"--train-limit must be at least 1, not {settings.TrainLimit}.");
        var projectFile = PruneProject.Find(settings.Project);
        var output = Path.GetFullPath(settings.Output ?? Path.Combine("sweep", model));

        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        Console.WriteLine(settings.NoBuild ? $"Reading {projectFile}" : $"Building {projectFile}");
        var project = PruneProject.Load(projectFile, settings.Configuration, build: !settings.NoBuild);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sweeping {model} over {string.Join(", ", targets.Select(t => t.ToString("P0", CultureInfo.InvariantCulture)))} into {output}"));

        var host = new SweepHost(project, model, targets, output, Invariant(settings.Epochs), Invariant(settings.TrainLimit));
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Keep the tool alive: the host stops between two steps and writes the points it finished.
            e.Cancel = true;
            Console.Error.WriteLine("Stopping after the current step; the finished points are kept.");
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var registration = cancellationToken.Register(stop.Cancel);
        int exit;
        try
        {
            exit = interactive
                ? AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .Start(progress => host.Run(new ProgressSweepDisplay(progress), stop.Token))
                : host.Run(new PlainSweepDisplay(Console.Out, Console.Error), stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        if (exit == 1) return Task.FromResult(1);
        PrintTable(output);
        return Task.FromResult(exit == 2 ? 130 : 0);
    }

    /// <summary>The table from sweep.json, as sweep.md holds it, and where the four files are.</summary>
    private static void PrintTable(string output)
    {
        var json = Path.Combine(output, SweepReport.Json);
        if (!File.Exists(json))
        {
            Console.WriteLine("No target was finished; nothing was written.");
            return;
        }
        var summary = JsonSerializer.Deserialize<SweepSummary>(File.ReadAllText(json), SweepReport.JsonOptions)!;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Model}: baseline {summary.BaselineAccuracy:P2} ({(summary.BaselineFromCache ? "reused from the cache" : "trained")}), {summary.Points.Count} of {summary.Targets.Count} targets{(summary.Stopped ? " (stopped)" : "")}"));
        Console.Write(SweepReport.RenderTable(summary));
        var files = new[] { SweepReport.Markdown, SweepReport.Json, SweepReport.Csv, SweepReport.Png }.Where(f => File.Exists(Path.Combine(output, f)));
        Console.WriteLine($"Written to {output}: {string.Join(", ", files)}");
    }

    private static string? Invariant(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
