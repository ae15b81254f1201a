namespace Prune;

/// <summary>
/// Prune's cache folder, for what it fetches once per machine (MNIST, the LiteRT packages): <c>$PRUNE_CACHE_DIR</c>
/// when set, else <c>$XDG_CACHE_HOME/prune</c>, else <c>~/.cache/prune</c>.
/// </summary>
internal static class PruneCache
{
    /// <summary>The environment variable that overrides the cache folder.</summary>
    public const string DirectoryVariable = "PRUNE_CACHE_DIR";

    /// <summary>The cache folder (not created).</summary>
    public static string Directory() => Directory(Environment.GetEnvironmentVariable);

    /// <summary>The cache folder for the environment <paramref name="variable"/> reads (tests pass their own).</summary>
    internal static string Directory(Func<string, string?> variable)
    {
        var overridden = variable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        var xdg = variable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(xdg, "prune");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "prune");
    }
}
