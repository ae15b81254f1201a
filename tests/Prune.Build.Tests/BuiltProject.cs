namespace Prune.Build.Tests;

/// <summary>A throwaway project built once, shared by the tests that only look at a finished build.</summary>
public sealed class BuiltProject : IDisposable
{
    private readonly ThrowawayProject _project = new("built");

    public BuiltProject() => FirstBuild = _project.Build();

    internal ThrowawayProject Project => _project;

    internal BuildResult FirstBuild { get; }

    public void Dispose() => _project.Dispose();
}
