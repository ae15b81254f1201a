using System.Collections.Concurrent;
using System.Diagnostics;

namespace Prune.Build.Tests;

/// <summary>The lock that makes a second build of a project wait for the first, taken as the build task takes it.</summary>
public sealed class BuildLockTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("prune-lock-").FullName;

    [Fact]
    public void A_free_lock_is_taken_at_once_even_where_a_killed_build_left_its_file()
    {
        File.WriteAllText(Path.Combine(_directory, BuildLock.FileName), "");
        var said = new List<string>();

        using var taken = BuildLock.Acquire(_directory, said.Add, CancellationToken.None);

        Assert.NotNull(taken);
        Assert.Empty(said);
    }

    [Fact]
    public async Task A_second_build_waits_for_the_first_and_says_so()
    {
        var said = new ConcurrentQueue<string>();
        var first = BuildLock.Acquire(_directory, _ => { }, CancellationToken.None)!;
        var second = Task.Run(() => BuildLock.Acquire(_directory, said.Enqueue, CancellationToken.None));

        await Until(() => !said.IsEmpty);
        await Task.Delay(500);
        Assert.False(second.IsCompleted, "the second build did not wait");
        Assert.Equal($"Waiting for another build of this project to finish (it holds {Path.Combine(_directory, BuildLock.FileName)}).", Assert.Single(said));

        first.Dispose();
        using var taken = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(taken);
        Assert.Equal("The other build of this project has finished; going on.", said.Last());
    }

    [Fact]
    public async Task A_build_killed_while_it_holds_the_lock_releases_it()
    {
        // util-linux's flock(1) takes the lock .NET takes for FileShare.None (flock(2)) and runs sleep holding it: a
        // stand-in for a build process that holds the lock and is then killed.
        using var holder = Process.Start("flock", [Path.Combine(_directory, BuildLock.FileName), "sleep", "600"]);
        await Until(() => IsHeld());

        holder.Kill(entireProcessTree: true);
        await holder.WaitForExitAsync();

        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var taken = BuildLock.Acquire(_directory, _ => { }, cancellation.Token);
        Assert.NotNull(taken);
    }

    [Fact]
    public void Waiting_ends_when_the_build_is_cancelled()
    {
        using var first = BuildLock.Acquire(_directory, _ => { }, CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        Assert.Null(BuildLock.Acquire(_directory, _ => { }, cancellation.Token));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    private bool IsHeld()
    {
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var taken = BuildLock.Acquire(_directory, _ => { }, soon.Token);
        return taken is null;
    }

    private static async Task Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "timed out");
            await Task.Delay(50);
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
