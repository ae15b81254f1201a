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
    /// <summary>
    /// Runs <c>dotnet &lt;verb&gt;</c> in <paramref name="directory"/>. Prune's own projects were built with the tests, so
    /// project references are not rebuilt (no two builds write to src/ at once), and the build server is off so no
    /// long-lived node outlives the test.
    /// </summary>
    public static BuildResult Run(string directory, string verb, params string[] arguments) => Start(directory, verb, arguments).Finish();

    /// <summary>Starts <c>dotnet &lt;verb&gt;</c> as <see cref="Run"/> does, without waiting for it.</summary>
    public static RunningBuild Start(string directory, string verb, params string[] arguments) =>
        Start(directory, verb, RepositoryPaths.Configuration, arguments);

    /// <summary>Runs <c>dotnet &lt;verb&gt;</c> as <see cref="Run(string, string, string[])"/> does, in another configuration.</summary>
    public static BuildResult RunIn(string configuration, string directory, string verb, params string[] arguments) =>
        Start(directory, verb, configuration, arguments).Finish();

    private static RunningBuild Start(string directory, string verb, string configuration, string[] arguments) =>
        StartDotnet(directory, BuildArguments(verb, configuration, arguments));

    private static string[] BuildArguments(string verb, string configuration, string[] arguments) =>
        [verb, "-c", configuration, "-nologo", "-p:BuildProjectReferences=false", "--disable-build-servers", "-v:n", .. arguments];

    /// <summary>Runs <c>dotnet</c> with exactly <paramref name="arguments"/>: for commands that are not builds (<c>dotnet new</c>).</summary>
    public static BuildResult RunCommand(string directory, params string[] arguments) => StartDotnet(directory, arguments).Finish();

    /// <summary>Runs <c>dotnet build</c> as <see cref="Run"/> does, with environment variables set (a null value removes one).</summary>
    public static BuildResult BuildWith(IReadOnlyDictionary<string, string?> environment, string directory, params string[] arguments) =>
        StartDotnet(directory, BuildArguments("build", RepositoryPaths.Configuration, arguments), environment).Finish();

    private static RunningBuild StartDotnet(string directory, string[] arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return new RunningBuild(start, $"dotnet {arguments[0]} in {directory}");
    }
}

/// <summary>A <c>dotnet</c> run in progress, whose output can be watched while it runs.</summary>
internal sealed class RunningBuild
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly string _description;
    private readonly StringBuilder _output = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public RunningBuild(ProcessStartInfo start, string description)
    {
        _description = description;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; fails the test when the run ends or times out first.</summary>
    public void WaitForOutput(string text)
    {
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || _clock.Elapsed > Timeout)
                throw new Xunit.Sdk.XunitException($"{_description} never printed '{text}'.\n{Finish()}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Sends the run SIGINT, what Ctrl+C in a terminal sends.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the run to end (killing it after the timeout) and returns what it printed.</summary>
    public BuildResult Finish()
    {
        if (!_process.WaitForExit(Timeout - _clock.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_description} did not finish within {Timeout}.\n{Output}");
        }
        _process.WaitForExit();
        using (_process) return new BuildResult(_process.ExitCode, Output, _clock.Elapsed);
    }

    private string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
