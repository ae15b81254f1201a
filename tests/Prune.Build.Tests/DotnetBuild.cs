using System.Diagnostics;
using System.Text;

namespace Prune.Build.Tests;

/// <summary>What one <c>dotnet</c> run printed and how it ended.</summary>
internal sealed record BuildResult(int ExitCode, string Output, TimeSpan Duration)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode} after {Duration.TotalSeconds:F1} s\n{Output}";
}

/// <summary>Runs the real <c>dotnet</c> CLI on a project, the way a user's terminal or CI would.</summary>
internal static class DotnetBuild
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <c>dotnet &lt;verb&gt;</c> in <paramref name="directory"/>. Prune's own projects were built with the tests, so
    /// project references are not rebuilt (no two builds write to src/ at once), and the build server is off so no
    /// long-lived node outlives the test.
    /// </summary>
    public static BuildResult Run(string directory, string verb, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[verb, "-c", RepositoryPaths.Configuration, "-nologo", "-p:BuildProjectReferences=false",
                     "--disable-build-servers", "-v:n", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {verb} in {directory} did not finish within {Timeout}.\n{output}");
        }
        process.WaitForExit();
        lock (output) return new BuildResult(process.ExitCode, output.ToString(), clock.Elapsed);
    }
}
