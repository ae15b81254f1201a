namespace Prune.Build.Protocol;

/// <summary>
/// The manifest of a project's Prune artifacts, one path per line: the task writes it after each build and hands it to
/// the next build's host, which deletes the files it lists. The task and the host read it here; Clean reads the same
/// lines with MSBuild's ReadLinesFromFile, which skips empty ones too.
/// </summary>
internal static class ArtifactManifest
{
    /// <summary>The paths <paramref name="manifest"/> lists; none when there is no manifest yet (the first build).</summary>
    public static IReadOnlyList<string> Read(string manifest) =>
        File.Exists(manifest) ? [.. File.ReadAllLines(manifest).Where(line => line.Length > 0)] : [];

    public static void Write(string manifest, IEnumerable<string> files) => File.WriteAllLines(manifest, files);
}
