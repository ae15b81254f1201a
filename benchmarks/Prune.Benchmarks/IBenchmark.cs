namespace Prune.Benchmarks;

/// <summary>One benchmark, run by name: <c>dotnet run -c Release --project benchmarks/Prune.Benchmarks -- &lt;name&gt;</c>.</summary>
public interface IBenchmark
{
    /// <summary>The name on the command line.</summary>
    string Name { get; }

    /// <summary>One line on what it measures, shown by <c>--list</c>.</summary>
    string Description { get; }

    /// <summary>Runs it, printing measurements as a Markdown fragment for docs/benchmarks.md; returns the exit code (non-zero when a goal is missed).</summary>
    int Run(IReadOnlyList<string> args, CancellationToken cancellation);
}
