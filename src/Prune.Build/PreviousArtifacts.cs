using Microsoft.Build.Utilities;
using Prune.Build.Protocol;

namespace Prune.Build;

/// <summary>
/// The files the previous build wrote, as its manifest lists them. They go before the pipeline runs: a file this build
/// no longer writes (int8 turned off, a model renamed) must not linger, and a failed build leaves none rather than
/// stale ones. The settings were checked before (so a typo deletes nothing), and the deletion runs under the
/// <see cref="BuildLock"/> (so it never hits the fresh files of another build of the project).
/// </summary>
internal static class PreviousArtifacts
{
    /// <summary>Deletes every file <paramref name="manifest"/> lists; false, after a PRB016 error naming the folder, when one cannot be.</summary>
    public static bool TryDelete(string manifest, TaskLoggingHelper log)
    {
        if (!File.Exists(manifest)) return true;
        foreach (var file in File.ReadAllLines(manifest).Where(line => line.Length > 0))
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
                log.LogError(null, BuildErrorCodes.FolderNotWritable, null, null, 0, 0, 0, 0,
                    $"Prune cannot replace the previous build's {Path.GetFileName(file)} in the folder {Path.GetDirectoryName(file)}: {e.Message} Make the folder writable, or set PruneOutputDir to another one. Nothing was trained.");
                return false;
            }
        }
        return true;
    }
}
