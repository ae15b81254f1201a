namespace Prune.Build;

/// <summary>
/// One build of a project at a time. The pipeline's files under obj/.../prune/ (cached baselines, staging, LiteRT's
/// scratch files) and the artifacts have fixed paths, so a second build of the same project (an IDE build beside a
/// terminal build, a solution that builds the project twice) waits for the first instead of mixing files with it.
/// The lock is an open handle on <see cref="FileName"/> that shares nothing (an advisory <c>flock</c> on Unix): the OS
/// releases it when its process ends, however it ends, so a killed build never leaves a lock behind. The file itself
/// stays and means nothing.
/// </summary>
internal sealed class BuildLock : IDisposable
{
    public const string FileName = "build.lock";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly FileStream _handle;

    private BuildLock(FileStream handle) => _handle = handle;

    /// <summary>
    /// Takes the lock of <paramref name="directory"/>, waiting as long as another build holds it; says so once through
    /// <paramref name="say"/> when it has to wait, and once more when the wait is over. Null when cancelled while waiting.
    /// </summary>
    public static BuildLock? Acquire(string directory, Action<string> say, CancellationToken cancellation)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var waited = false;
        while (true)
        {
            try
            {
                var handle = new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                if (waited) say("The other build of this project has finished; going on.");
                return handle;
            }
            catch (IOException e) when (HeldByAnother(e))
            {
                if (!waited) say($"Waiting for another build of this project to finish (it holds {path}).");
                waited = true;
                if (cancellation.WaitHandle.WaitOne(PollInterval)) return null;
            }
        }
    }

    /// <summary>A sharing violation (Windows) or a held <c>flock</c> (EWOULDBLOCK: 11 on Linux, 35 on macOS): anything else is a real error.</summary>
    private static bool HeldByAnother(IOException e) => e.GetType() == typeof(IOException) && (OperatingSystem.IsWindows()
        ? e.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021)
        : e.HResult == (OperatingSystem.IsMacOS() ? 35 : 11));

    public void Dispose() => _handle.Dispose();
}
