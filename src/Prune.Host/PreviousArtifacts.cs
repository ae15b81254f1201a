using Prune.Build.Protocol;

namespace Prune.Host;

/// <summary>
/// The files the previous build wrote, as its manifest lists them. They go before the pipeline runs: a file this build
/// no longer writes (int8 turned off, a model renamed) must not linger, and a failed build leaves none rather than
/// stale ones. They go only once every input the build can check is found good: the settings (checked by the targets)
/// and the models the project names (checked here, in the host, the only process that loads the assembly), so that a
/// typo deletes nothing. The PruneModels task holds the project's build lock meanwhile, so the deletion never hits the
/// fresh files of another build of the project.
/// </summary>
internal static class PreviousArtifacts
{
    /// <summary>Deletes every file <paramref name="manifest"/> lists; false, after a PRB016 error naming the folder, when one cannot be.</summary>
    public static bool TryDelete(string manifest, HostLog log)
    {
        foreach (var file in ArtifactManifest.Read(manifest))
        {
            try
            {
                File.Delete(file);
            }
            catch (DirectoryNotFoundException)
            {
                // Its folder is gone (deleted by hand, or PruneOutputDir moved): so is the file.
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Error(BuildErrorCodes.FolderNotWritable,
                    $"Prune cannot replace the previous build's {Path.GetFileName(file)} in the folder {Path.GetDirectoryName(file)}: {e.Message} Make the folder writable, or set PruneOutputDir to another one. Nothing was trained.");
                return false;
            }
        }
        return true;
    }
}
