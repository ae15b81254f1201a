using System.Collections.Concurrent;
using System.Diagnostics;
using Prune.Serving.Config;

namespace Prune.Serving.Tests;

/// <summary>TensorFlow Serving's file-system polling: a version dropped in is served without a restart and without
/// failing a request in flight; a version that cannot be loaded is reported and the previous one keeps serving.</summary>
[Collection(ServedModelsCollection.Name)]
public sealed class HotReloadTests(BuiltModels models) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ModelFolder _folder = new();

    private static float[] Image => TestImages.Images[0];

    private static string Body => $$"""{"instances": [{{Rest.Image(Image)}}]}""";

    [Fact]
    public async Task Dropping_in_version_2_while_requests_run_fails_none_and_then_answers_from_version_2()
    {
        var v1 = Reference.Probabilities(models.First, Image);
        var v2 = Reference.Probabilities(models.Second, Image);
        Assert.False(Reference.Close(v1, v2), "the two versions must answer differently for the test to tell them apart");
        _folder.Add(1, File.ReadAllBytes(models.First));
        // Batching keeps requests waiting in version 1's queue for up to 20 ms: many are in flight when version 2 takes over.
        using var server = TestServer.For(_folder.Path, batching: true,
            parameters: new BatchingParameters { MaxBatchSize = 4, BatchTimeout = TimeSpan.FromMilliseconds(20), NumBatchThreads = 1 });
        using var client = server.CreateClient();

        var answers = new ConcurrentQueue<(int Status, float[]? Probabilities, string Text)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync("/v1/models/mnist:predict", Rest.Json(Body));
                var text = await response.Content.ReadAsStringAsync();
                var probabilities = response.IsSuccessStatusCode ? Rest.Rows(System.Text.Json.JsonDocument.Parse(text).RootElement)[0] : null;
                answers.Enqueue(((int)response.StatusCode, probabilities, text));
            }
        })).ToArray();

        await WaitUntil(() => answers.Count >= 20, "20 answers from version 1");
        _folder.Add(2, File.ReadAllBytes(models.Second));
        await WaitUntil(() => answers.Any(a => a.Probabilities is { } p && Reference.Close(p, v2)), "an answer from version 2");
        await Task.Delay(300);
        stop.Cancel();
        await Task.WhenAll(clients);

        var failed = answers.Where(a => a.Status != 200).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {answers.Count} requests failed, e.g. {failed.FirstOrDefault().Text}");
        Assert.All(answers, a => Assert.True(Reference.Close(a.Probabilities!, v1) || Reference.Close(a.Probabilities!, v2), "an answer from neither version"));
        Assert.True(answers.Count(a => Reference.Close(a.Probabilities!, v1)) > 0, "no answer from version 1 before the switch");
        Assert.True(Reference.Close(Rest.Rows(await Rest.Post(client, "/v1/models/mnist:predict", Body))[0], v2));
        var status = await Rest.Get(client, "/v1/models/mnist");
        Assert.Equal("""[{"version":"2","state":"AVAILABLE","status":{"error_code":"OK","error_message":""}},{"version":"1","state":"END","status":{"error_code":"OK","error_message":""}}]""",
            status.GetProperty("model_version_status").GetRawText());
    }

    [Fact]
    public async Task A_corrupt_model_in_a_new_version_folder_is_logged_reported_as_failed_and_the_previous_version_keeps_serving()
    {
        var v1 = Reference.Probabilities(models.First, Image);
        _folder.Add(1, File.ReadAllBytes(models.First));
        using var server = TestServer.For(_folder.Path);
        using var client = server.CreateClient();

        var corrupt = File.ReadAllBytes(models.Second)[..2000];
        _folder.Add(2, corrupt);
        System.Text.Json.JsonElement version2 = default;
        await WaitUntil(() =>
        {
            var status = Rest.Get(client, "/v1/models/mnist").GetAwaiter().GetResult();
            version2 = status.GetProperty("model_version_status").EnumerateArray().FirstOrDefault(v => v.GetProperty("version").GetString() == "2");
            return version2.ValueKind != System.Text.Json.JsonValueKind.Undefined && version2.GetProperty("state").GetString() == "END";
        }, "version 2 reported as failed");

        Assert.NotEqual("OK", version2.GetProperty("status").GetProperty("error_code").GetString());
        Assert.Contains("ONNX Runtime cannot load it", version2.GetProperty("status").GetProperty("error_message").GetString());
        Assert.Contains(server.Log, line => line.StartsWith("Error: Model mnist: version 2 failed to load", StringComparison.Ordinal));
        Assert.True(Reference.Close(Rest.Rows(await Rest.Post(client, "/v1/models/mnist:predict", Body))[0], v1), "not answered by version 1");
        Assert.Equal("AVAILABLE", (await Rest.Get(client, "/v1/models/mnist/versions/1")).GetProperty("model_version_status")[0].GetProperty("state").GetString());

        // Its file replaced by a good one, the failed version is tried again and served.
        var v2 = Reference.Probabilities(models.Second, Image);
        var staged = Path.Combine(_folder.Path, "model.onnx.tmp");
        File.WriteAllBytes(staged, File.ReadAllBytes(models.Second));
        File.Move(staged, Path.Combine(_folder.Path, "2", "model.onnx"), overwrite: true);
        await WaitUntil(() => Reference.Close(Rest.Rows(Rest.Post(client, "/v1/models/mnist:predict", Body).GetAwaiter().GetResult())[0], v2), "version 2 served once fixed");
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience) Assert.Fail($"No {what} within {Patience.TotalSeconds} s.");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _folder.Dispose();
}
