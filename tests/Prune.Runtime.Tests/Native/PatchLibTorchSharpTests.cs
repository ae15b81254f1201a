using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Prune.Build.Native;

namespace Prune.Runtime.Tests.Native;

/// <summary>
/// The build task behind PRB100, on copies of TorchSharp's real native library: it makes the GLIBCXX_3.4.32 need weak
/// (once, keeping the file's time), leaves the file alone where libstdc++ has the version, and turns a file it cannot
/// read into PRB100 naming the file.
/// </summary>
public sealed class PatchLibTorchSharpTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";

    private readonly string _directory = Directory.CreateTempSubdirectory("prune-patch-").FullName;

    // The copy under this test's own bin, which the build already patched.
    private static string BuiltLibrary => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void A_strong_need_becomes_weak_once_and_the_file_keeps_its_time()
    {
        var library = StrongCopy();
        var time = File.GetLastWriteTimeUtc(library);
        var before = File.ReadAllBytes(library);

        var first = Run(library, systemLibStdCxx: WithoutGlibcxxVersions());
        Assert.True(first.Succeeded, string.Join("\n", first.Errors));
        Assert.All(ElfVersionNeeds.ReadNeeds(library).Where(n => n.Version == Version), n => Assert.True(n.IsWeak));
        Assert.Equal(time, File.GetLastWriteTimeUtc(library));
        // One bit of one entry changed, nothing else.
        var after = File.ReadAllBytes(library);
        Assert.Equal(before.Length, after.Length);
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != after[i]);
        Assert.Contains(first.Messages, m => m.EndsWith(PatchOutcome.Patched.ToString(), StringComparison.Ordinal));

        var second = Run(library, systemLibStdCxx: WithoutGlibcxxVersions());
        Assert.True(second.Succeeded);
        Assert.Equal(after, File.ReadAllBytes(library));
        Assert.Contains(second.Messages, m => m.EndsWith(PatchOutcome.AlreadyWeak.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Where_libstdcxx_defines_the_version_the_library_is_left_alone()
    {
        var library = StrongCopy();
        var before = File.ReadAllBytes(library);
        var system = ElfVersionNeeds.FindSystemLibStdCxx()!;
        // A version every libstdc++ since GCC 4 defines stands in for GLIBCXX_3.4.32 on a newer system.
        Assert.True(ElfVersionNeeds.DefinesVersion(system, "GLIBCXX_3.4"));

        var run = Run(library, systemLibStdCxx: system, version: "GLIBCXX_3.4");

        Assert.True(run.Succeeded);
        Assert.Equal(before, File.ReadAllBytes(library));
        Assert.Contains(run.Messages, m => m.Contains("needs no patch", StringComparison.Ordinal));
    }

    [Fact]
    public void A_library_that_cannot_be_read_is_PRB100_naming_the_file_and_is_left_as_it_was()
    {
        var truncated = Path.Combine(_directory, "truncated", "libLibTorchSharp.so");
        Directory.CreateDirectory(Path.GetDirectoryName(truncated)!);
        File.WriteAllBytes(truncated, File.ReadAllBytes(StrongCopy())[..4096]);
        var notElf = Path.Combine(_directory, "libNotElf.so");
        File.WriteAllText(notElf, "not a library");

        var run = Run([truncated, notElf], systemLibStdCxx: WithoutGlibcxxVersions());

        Assert.False(run.Succeeded);
        Assert.Equal(2, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.Equal("PRB100", e.Code));
        Assert.Equal([truncated, notElf], run.Errors.Select(e => e.File));
        Assert.Contains("truncated or corrupt", run.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("is not an ELF file", run.Errors[1].Message, StringComparison.Ordinal);
        Assert.All(run.Errors, e => Assert.StartsWith($"Could not make the {Version} need of this TorchSharp native library weak", e.Message, StringComparison.Ordinal));
        Assert.Equal(4096, new FileInfo(truncated).Length);
    }

    /// <summary>A copy of TorchSharp's native library with its GLIBCXX_3.4.32 need strong again, as TorchSharp ships it.</summary>
    private string StrongCopy()
    {
        var copy = Path.Combine(_directory, $"{Guid.NewGuid():N}", "libLibTorchSharp.so");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        var bytes = File.ReadAllBytes(BuiltLibrary);
        var needs = ElfVersionNeeds.ReadNeeds(BuiltLibrary).Where(n => n.Version == Version).ToList();
        Assert.NotEmpty(needs);
        foreach (var need in needs) bytes[need.FlagsOffset] &= unchecked((byte)~VersionNeed.WeakFlag);
        File.WriteAllBytes(copy, bytes);
        Assert.All(ElfVersionNeeds.ReadNeeds(copy).Where(n => n.Version == Version), n => Assert.False(n.IsWeak));
        return copy;
    }

    /// <summary>Stands in for a libstdc++ older than GCC 13: an ELF file that defines no GLIBCXX version.</summary>
    private static string WithoutGlibcxxVersions() => BuiltLibrary;

    private static TaskRun Run(string library, string systemLibStdCxx, string version = Version) => Run([library], systemLibStdCxx, version);

    private static TaskRun Run(string[] libraries, string systemLibStdCxx, string version = Version)
    {
        var engine = new RecordingBuildEngine();
        var task = new PatchLibTorchSharp
        {
            BuildEngine = engine,
            Libraries = libraries.Select(l => (ITaskItem)new TaskItem(l)).ToArray(),
            SystemLibStdCxx = systemLibStdCxx,
            Version = version,
        };
        var succeeded = task.Execute();
        return new TaskRun(succeeded, engine.Errors, engine.Messages);
    }

    private sealed record TaskRun(bool Succeeded, List<BuildErrorEventArgs> Errors, List<string> Messages);

    /// <summary>MSBuild's side of a task run, reduced to what the task logs.</summary>
    private sealed class RecordingBuildEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public List<string> Messages { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test.proj";
        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
        public void LogWarningEvent(BuildWarningEventArgs e) => Messages.Add(e.Message ?? "");
        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? "");
        public void LogCustomEvent(CustomBuildEventArgs e) => Messages.Add(e.Message ?? "");
        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
            throw new NotSupportedException();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
