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

    [Fact]
    public void Two_projects_of_one_solution_built_in_parallel_share_Prune_s_cache_without_clashing()
    {
        // A fresh cache, and no preinstalled LiteRT: both hosts find nothing and install LiteRT at the same time, which
        // is where they could clash (one deleting or replacing what the other is running).
        using var first = new ThrowawayProject("parallel-a");
        using var second = new ThrowawayProject("parallel-b");
        var solution = Directory.CreateTempSubdirectory("prune-parallel-").FullName;
        var cache = Path.Combine(solution, "cache");
        try
        {
            Assert.True(DotnetBuild.RunCommand(solution, "new", "sln", "-n", "Both", "--format", "sln").Succeeded);
            Assert.True(DotnetBuild.RunCommand(solution, "sln", "Both.sln", "add", first.ProjectFile, second.ProjectFile).Succeeded);

            var result = DotnetBuild.BuildWith(new Dictionary<string, string?> { ["PRUNE_CACHE_DIR"] = cache, ["PRUNE_LITERT_DIR"] = null },
                solution, "Both.sln", "-m:2");

            Assert.True(result.Succeeded, result.ToString());
            foreach (var project in new[] { first, second })
            {
                Assert.True(File.Exists(project.Artifact(".tflite")), $"missing {project.Artifact(".tflite")}\n{result}");
                using var report = JsonDocument.Parse(File.ReadAllText(project.Artifact(".report.json")));
                Assert.True(report.RootElement.GetProperty("liteRt").GetProperty("ran").GetBoolean(), result.ToString());
            }
            // One install of LiteRT, and nothing half-done beside it.
            Assert.Single(Directory.GetDirectories(Path.Combine(cache, "litert")));
            Assert.Empty(Directory.GetFileSystemEntries(cache, "*.tmp", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(solution, recursive: true);
        }
    }
}
