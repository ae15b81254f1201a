using System.Diagnostics;
using System.Text;
using Prune.Build.Protocol;

namespace Prune.Build.Tests;

/// <summary>
/// The throwaway project with <see cref="ErrorModels"/> beside its TinyClassifier, compiled once (PruneSkip=true) for
/// every test of the build collection: builds train only TinyClassifier (PruneModelNames), and the host tests run the
/// pipeline's host on the compiled assembly directly, one model at a time.
/// </summary>
public sealed class ErrorProject : IDisposable
{
    private readonly ThrowawayProject _project = new("errors",
        "<PropertyGroup><PruneModelNames>" + ThrowawayProject.ModelName + "</PruneModelNames></PropertyGroup>",
        (ErrorModels.FileName, ErrorModels.Source));

    public ErrorProject()
    {
        var compile = _project.Build("-p:PruneSkip=true");
        Assert.True(compile.Succeeded, compile.ToString());
    }

    internal ThrowawayProject Project => _project;

    /// <summary>
    /// Runs Prune's host the way the PruneModels task does (<c>dotnet exec</c> with the project's deps.json and
    /// runtimeconfig.json), on <paramref name="model"/> and the project's data, writing into a fresh folder.
    /// </summary>
    internal HostRun RunHost(string model, string[]? options = null, Dictionary<string, string>? environment = null)
    {
        var bin = _project.BinDirectory;
        var work = Path.Combine(_project.Directory, "host-runs", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["exec", "--depsfile", Path.Combine(bin, $"{_project.Name}.deps.json"),
                     "--runtimeconfig", Path.Combine(bin, $"{_project.Name}.runtimeconfig.json"), RepositoryPaths.HostAssembly,
                     "--assembly", Path.Combine(bin, $"{_project.Name}.dll"), "--output", Path.Combine(work, "out"),
                     "--intermediate", Path.Combine(work, "obj"), "--data", _project.DataFile, "--label-column", "benign",
                     "--model", model, .. options ?? []])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;

        var output = new StringBuilder();
        using var host = Process.Start(start)!;
        host.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        host.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        if (!host.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            host.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not finish on {model}.\n{output}");
        }
        host.WaitForExit();
        lock (output) return new HostRun(host.ExitCode, output.ToString(), Path.Combine(work, "out"));
    }

    public void Dispose() => _project.Dispose();
}

/// <summary>What one run of the host printed, read as the PruneModels task reads it.</summary>
internal sealed record HostRun(int ExitCode, string Output, string OutputDirectory)
{
    public IReadOnlyList<HostMessage> Messages =>
        Output.Split('\n').Select(l => HostMessage.TryParse(l.TrimEnd('\r'))).OfType<HostMessage>().ToList();

    public IEnumerable<HostMessage> Errors => Messages.Where(m => m.Kind == HostMessageKind.Error);

    public IEnumerable<HostMessage> Warnings => Messages.Where(m => m.Kind == HostMessageKind.Warning);

    public override string ToString() => $"exit {ExitCode}\n{Output}";
}
