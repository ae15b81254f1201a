using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Prune.Build.Protocol;
using Prune.Sweep;

namespace Prune.Tool.Sweeping;

/// <summary>What the host says during a sweep, as the tool shows it.</summary>
internal interface ISweepDisplay
{
    /// <summary>A line for the user (progress, a warning, an error).</summary>
    void Line(HostMessage message);

    /// <summary>Where the sweep is.</summary>
    void Status(SweepStatus status);

    /// <summary>A point finished.</summary>
    void Finished(SweepPoint point);
}

/// <summary>
/// Runs a sweep in Prune's host, on the project's own deps.json and runtimeconfig.json, as the build's task runs it
/// (<c>dotnet exec ... Prune.Host.dll --sweep ...</c>), and turns its protocol lines into the display's calls. Ctrl+C
/// is passed on as a line on the host's stdin: the host then stops between two training steps and keeps the points
/// it finished.
/// </summary>
internal sealed class SweepHost(PruneProject project, string model, IReadOnlyList<double> targets, string outputDirectory, string? epochs, string? trainLimit)
{
    /// <summary>The host's exit code: 0 when every target was tried, 2 when stopped, 1 when the sweep could not run.</summary>
    public int Run(ISweepDisplay display, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Dotnet.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments()) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new ToolException("Cannot start Prune's host (dotnet exec).");
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var stop = cancellation.Register(() => RequestStop(process));
        var unparsed = new List<string>();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (HostMessage.TryParse(line) is not { } message)
            {
                unparsed.Add(line);
                continue;
            }
            switch (message.Kind)
            {
                case HostMessageKind.Status:
                    display.Status(JsonSerializer.Deserialize<SweepStatus>(message.Text, SweepReport.LineJsonOptions)!);
                    break;
                case HostMessageKind.Result:
                    display.Finished(JsonSerializer.Deserialize<SweepPoint>(message.Text, SweepReport.LineJsonOptions)!);
                    break;
                case HostMessageKind.Progress or HostMessageKind.Warning or HostMessageKind.Error:
                    display.Line(message);
                    break;
            }
        }
        process.WaitForExit();
        if (process.ExitCode is not (0 or 1 or 2))
        {
            // The host died without its own error (a crash in native code, a killed process): what it printed is the clue.
            var output = string.Join(Environment.NewLine, unparsed.TakeLast(20).Append(errors.Result.Trim()));
            throw new ToolException($"Prune's host exited with code {process.ExitCode}:{Environment.NewLine}{output.Trim()}");
        }
        return process.ExitCode;
    }

    private static void RequestStop(Process process)
    {
        try
        {
            process.StandardInput.WriteLine("stop");
            process.StandardInput.Flush();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The host has ended already.
        }
    }

    private List<string> Arguments()
    {
        List<string> args =
        [
            "exec", "--depsfile", project.DepsFile, "--runtimeconfig", project.RuntimeConfig, project.HostAssembly,
            HostArguments.Assembly, project.TargetPath,
            HostArguments.Output, outputDirectory,
            HostArguments.Intermediate, project.IntermediateDirectory,
            HostArguments.Data, project.Data,
            HostArguments.Int8, project.Int8 ? "true" : "false",
            HostArguments.Onnx, "false",
            HostArguments.Verify, "true",
            HostArguments.Model, model,
            HostArguments.Sweep, string.Join(',', targets.Select(t => t.ToString("R", CultureInfo.InvariantCulture))),
        ];
        if (project.LabelColumn.Length > 0) args.AddRange([HostArguments.LabelColumn, project.LabelColumn]);
        if ((epochs ?? project.Epochs) is { Length: > 0 } e) args.AddRange([HostArguments.Epochs, e]);
        if ((trainLimit ?? project.TrainLimit) is { Length: > 0 } limit) args.AddRange([HostArguments.TrainLimit, limit]);
        if (project.Device.Length > 0) args.AddRange([HostArguments.Device, project.Device]);
        return args;
    }
}
