using Prune.Pipeline;

namespace Prune.Runtime.Tests.Pipeline;

/// <summary>Staged files reach the output folder all together or not at all; the previous build's files survive a failure.</summary>
public sealed class StagingFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("prune-staging-").FullName;

    private string Output => Path.Combine(_root, "out");

    [Fact]
    public void A_move_replaces_the_previous_files_and_leaves_nothing_beside_them()
    {
        WritePrevious(("m.tflite", "old model"), ("m.report.md", "old report"));

        var written = Stage(("m.tflite", "new model"), ("m.report.md", "new report"), ("m.int8.tflite", "new int8")).MoveTo(Output);

        Assert.Equal(3, written.Count);
        Assert.Equal(new Dictionary<string, string> { ["m.tflite"] = "new model", ["m.report.md"] = "new report", ["m.int8.tflite"] = "new int8" }, Contents());
    }

    [Fact]
    public void A_rename_that_fails_after_others_succeeded_puts_the_previous_files_back()
    {
        WritePrevious(("m.tflite", "old model"), ("m.report.md", "old report"));
        // The last target cannot be written: something else (here a folder) stands where it goes.
        Directory.CreateDirectory(Path.Combine(Output, "m.report.json"));
        var staging = Stage(("m.tflite", "new model"), ("m.report.md", "new report"), ("m.int8.tflite", "new int8"), ("m.report.json", "{}"));

        var error = Assert.Throws<PipelineException>(() => staging.MoveTo(Output));
        Assert.Equal(PipelineFailure.OutputNotWritable, error.Failure);
        Assert.IsAssignableFrom<IOException>(error.InnerException);

        Assert.Equal(new Dictionary<string, string> { ["m.tflite"] = "old model", ["m.report.md"] = "old report" }, Contents());
    }

    private StagingFolder Stage(params (string Name, string Content)[] files)
    {
        var staging = new StagingFolder(Path.Combine(_root, "obj"), "m");
        foreach (var (name, content) in files) staging.Write(name, content);
        return staging;
    }

    private void WritePrevious(params (string Name, string Content)[] files)
    {
        Directory.CreateDirectory(Output);
        foreach (var (name, content) in files) File.WriteAllText(Path.Combine(Output, name), content);
    }

    /// <summary>Every file of the output folder (folders aside), by name.</summary>
    private Dictionary<string, string> Contents() =>
        Directory.GetFiles(Output).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
