using System.Diagnostics;
using System.Text.Json;

namespace Prune.Tool.Sweeping;

/// <summary>
/// A project that uses Prune, as the sweep needs it: its built assembly and runtime files (the host runs on them, as
/// the build's task runs it), Prune's host, the folder of its cached baselines, and its Prune settings. Read from
/// MSBuild itself (<c>dotnet msbuild -getProperty</c>), so the sweep sees what the build sees.
/// </summary>
/// <param name="ProjectFile">The project file.</param>
/// <param name="TargetPath">Its built assembly.</param>
/// <param name="HostAssembly">Prune.Host.dll.</param>
/// <param name="IntermediateDirectory">obj/.../prune/: the build's baseline cache is there, so the sweep reuses it.</param>
/// <param name="Data"><c>mnist</c>, or the data's full path.</param>
/// <param name="LabelColumn">The label column of CSV data.</param>
/// <param name="Int8">Whether int8 files are written and measured.</param>
/// <param name="Epochs">PruneEpochs, or empty.</param>
/// <param name="TrainLimit">PruneTrainLimit, or empty.</param>
/// <param name="Device">PruneDevice: cpu, cuda, or empty (cpu).</param>
internal sealed record PruneProject(string ProjectFile, string TargetPath, string HostAssembly, string IntermediateDirectory, string Data,
    string LabelColumn, bool Int8, string Epochs, string TrainLimit, string Device)
{
    private static readonly string[] Properties =
        ["TargetPath", "PruneHostAssembly", "MSBuildProjectDirectory", "IntermediateOutputPath", "PruneData", "PruneLabelColumn", "PruneInt8", "PruneEpochs", "PruneTrainLimit", "PruneDevice"];

    /// <summary>The project's deps.json, beside its assembly.</summary>
    public string DepsFile => Path.ChangeExtension(TargetPath, ".deps.json");

    /// <summary>The project's runtimeconfig.json, beside its assembly.</summary>
    public string RuntimeConfig => Path.ChangeExtension(TargetPath, ".runtimeconfig.json");

    /// <summary>The project file <paramref name="path"/> names: a project file, or a folder holding exactly one (the current
    /// folder when null), as <c>dotnet build</c> finds it.</summary>
    /// <exception cref="ToolException">There is no such project, or the folder holds several.</exception>
    public static string Find(string? path)
    {
        var full = Path.GetFullPath(path ?? ".");
        if (File.Exists(full)) return full;
        if (!Directory.Exists(full)) throw new ToolException($"No project at {full}: --project takes a project file or its folder.");
        var projects = Directory.GetFiles(full, "*.*proj");
        return projects.Length switch
        {
            1 => projects[0],
            0 => throw new ToolException($"No project file in {full}: pass one with --project."),
            _ => throw new ToolException($"{full} holds several project files ({string.Join(", ", projects.Select(Path.GetFileName))}): pass one with --project."),
        };
    }

    /// <summary>Builds the project (without Prune's own build step: the sweep trains) unless <paramref name="build"/> is
    /// false, then reads its settings.</summary>
    /// <exception cref="ToolException">The build failed, the project does not use Prune, or it is not built.</exception>
    public static PruneProject Load(string projectFile, string configuration, bool build)
    {
        if (build)
        {
            var result = Dotnet.Run("build", projectFile, "-c", configuration, "-nologo", "-v:q", "-p:PruneSkip=true");
            if (result.ExitCode != 0)
            {
                var errors = result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
                throw new ToolException($"Building {projectFile} failed:{Environment.NewLine}{string.Join(Environment.NewLine, errors.DefaultIfEmpty(result.Output.Trim()))}");
            }
        }
        var evaluation = Dotnet.Run(["msbuild", projectFile, "-nologo", $"-p:Configuration={configuration}", .. Properties.Select(p => $"-getProperty:{p}")]);
        if (evaluation.ExitCode != 0) throw new ToolException($"MSBuild cannot read {projectFile}: {evaluation.Output.Trim()}");
        var values = ReadProperties(evaluation.Output, projectFile);
        if (values["PruneHostAssembly"].Length == 0)
            throw new ToolException($"{projectFile} does not use Prune: it has no [Model] pipeline to sweep (reference Prune, or import eng/UsePruneFromSource.props and .targets).");
        var targetPath = values["TargetPath"];
        if (!File.Exists(targetPath)) throw new ToolException($"{projectFile} is not built ({targetPath} is missing): run without --no-build.");
        if (!File.Exists(values["PruneHostAssembly"])) throw new ToolException($"Prune's pipeline host is missing: {values["PruneHostAssembly"]}. Rebuild Prune.");
        var directory = values["MSBuildProjectDirectory"];
        // MSBuild's own defaults spell paths with backslashes (obj\Debug\net10.0\) and fixes them only where it uses them.
        var data = values["PruneData"] is "" or "mnist" ? "mnist" : Path.GetFullPath(values["PruneData"], directory);
        return new PruneProject(projectFile, targetPath, values["PruneHostAssembly"],
            Path.Combine(Path.GetFullPath(values["IntermediateOutputPath"].Replace('\\', '/'), directory), "prune"),
            data, values["PruneLabelColumn"], !string.Equals(values["PruneInt8"], "false", StringComparison.OrdinalIgnoreCase),
            values["PruneEpochs"], values["PruneTrainLimit"], values["PruneDevice"]);
    }

    /// <summary>MSBuild prints <c>{"Properties": {...}}</c> for several <c>-getProperty</c> switches.</summary>
    private static Dictionary<string, string> ReadProperties(string output, string projectFile)
    {
        var start = output.IndexOf('{', StringComparison.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(start >= 0 ? output[start..] : output);
            var properties = document.RootElement.GetProperty("Properties");
            return Properties.ToDictionary(p => p, p => properties.TryGetProperty(p, out var v) ? v.GetString() ?? "" : "");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ToolException($"MSBuild's answer about {projectFile} is unreadable: {output.Trim()}");
        }
    }
}

/// <summary>Runs the <c>dotnet</c> CLI and collects what it prints.</summary>
internal static class Dotnet
{
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new ToolException("Cannot start dotnet.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>The dotnet that runs this tool (a tool runs under <c>dotnet</c>), else the one on PATH.</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
