namespace Prune.Build.Tests.Packages;

/// <summary>
/// The Prune and Prune.Templates packages, packed by <c>dotnet pack</c> from this repository into a temporary local feed,
/// as a release would be. Each run packs a version of its own (NuGet caches a package by id and version, so a stale copy
/// of an earlier run would otherwise be what the consumer restores), and builds in a folder of its own, so the packing
/// never touches the outputs the other tests run on. Dispose removes the feed and the version from NuGet's cache.
/// </summary>
public sealed class PackedPrune : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"prune-packages-{Guid.NewGuid():N}");

    public PackedPrune()
    {
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        Directory.CreateDirectory(Feed);
        foreach (var project in new[] { "src/Prune.Runtime/Prune.Runtime.csproj", "src/Prune.Templates/Prune.Templates.csproj" })
        {
            // Release: what a release packs (deterministic, no path of this machine in the assemblies).
            var packed = DotnetBuild.RunIn("Release", RepositoryPaths.Root, "pack", project, "-o", Feed, $"-p:Version={Version}",
                "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={Path.Combine(_root, "artifacts")}");
            if (!packed.Succeeded) throw new InvalidOperationException($"dotnet pack {project} failed: {packed}");
            PackOutput += packed.Output;
        }
    }

    /// <summary>The version packed: this repository's, with a suffix of this run.</summary>
    public string Version { get; }

    /// <summary>The folder holding the packages: a NuGet feed.</summary>
    public string Feed => Path.Combine(_root, "feed");

    public string PrunePackage => Path.Combine(Feed, $"Prune.{Version}.nupkg");

    public string TemplatesPackage => Path.Combine(Feed, $"Prune.Templates.{Version}.nupkg");

    /// <summary>What the two <c>dotnet pack</c> runs printed.</summary>
    public string PackOutput { get; } = "";

    /// <summary>A folder for a consumer's project: outside the repository, so nothing of it is imported.</summary>
    public string NewConsumerFolder(string name)
    {
        var folder = Path.Combine(_root, "consumers", name);
        Directory.CreateDirectory(folder);
        // The local feed beside the machine's own sources: Prune comes from the feed, TorchSharp and the rest as usual.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="prune-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return folder;
    }

    public void Dispose()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "prune", "prune.templates" })
        {
            var cached = Path.Combine(cache, id, Version);
            if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
        }
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
