using System.Text.Json;

namespace Prune.Build.Tests;

[Collection(BuildCollection.Name)]
public sealed class ConcurrentBuildTests
{
    [Fact]
    public void Two_builds_of_one_project_at_once_take_turns_and_both_succeed()
    {
        using var project = new ThrowawayProject("concurrent");
        var compiled = project.Build("-p:PruneSkip=true");
        Assert.True(compiled.Succeeded, compiled.ToString());

        // While the test holds the project's lock (as a third build would), two builds start; both must wait. Once it
        // is released, one goes on and the other waits for that one: they share obj/.../prune/ and the artifacts.
        RunningBuild first, second;
        using (BuildLock.Acquire(Path.Combine(project.Directory, "obj", RepositoryPaths.Configuration, "net10.0", "prune"), _ => { }, CancellationToken.None))
        {
            first = project.StartBuild();
            second = project.StartBuild();
            first.WaitForOutput("Waiting for another build of this project to finish");
            second.WaitForOutput("Waiting for another build of this project to finish");
        }
        var results = new[] { first.Finish(), second.Finish() };

        Assert.All(results, result =>
        {
            Assert.True(result.Succeeded, result.ToString());
            Assert.Contains("TinyClassifier: exporting", result.Output);
            Assert.DoesNotContain("   at ", result.Output);
        });
        // What is on disk is one build's complete set: the report describes the files beside it.
        Assert.Empty(Directory.GetFiles(project.OutputDirectory, "*.tmp"));
        using var report = JsonDocument.Parse(File.ReadAllText(project.Artifact(".report.json")));
        var sizes = report.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("file").GetString()!, f => f.GetProperty("bytes").GetInt64());
        Assert.Equal(sizes["pruned, float, as written (sparse where smaller)"], new FileInfo(project.Artifact(".tflite")).Length);
        Assert.Equal(sizes["pruned, int8"], new FileInfo(project.Artifact(".int8.tflite")).Length);
    }
}
