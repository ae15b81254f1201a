using System.Text.Json;
using Prune.LiteRt;

namespace Prune.Serving.Tests;

/// <summary>TensorFlow Serving's REST API with the request bodies of its documentation (g3doc/api_rest.md), on a model a
/// real build trained on MNIST.</summary>
[Collection(ServedModelsCollection.Name)]
public sealed class ApiTests : IDisposable
{
    private readonly ModelFolder _folder = new();
    private readonly TestServer _server;
    private readonly HttpClient _client;
    private readonly BuiltModels _models;

    public ApiTests(BuiltModels models)
    {
        _models = models;
        _folder.Add(1, File.ReadAllBytes(models.First));
        _server = TestServer.For(_folder.Path);
        _client = _server.CreateClient();
    }

    private static string Image(int i) => Rest.Image(TestImages.Images[i]);

    [Fact]
    public async Task Model_status_is_TensorFlow_Servings_GetModelStatusResponse()
    {
        var expected = """{"model_version_status":[{"version":"1","state":"AVAILABLE","status":{"error_code":"OK","error_message":""}}]}""";
        Assert.Equal(expected, (await Rest.Get(_client, "/v1/models/mnist")).GetRawText());
        Assert.Equal(expected, (await Rest.Get(_client, "/v1/models/mnist/versions/1")).GetRawText());
    }

    [Fact]
    public async Task Metadata_gives_the_serving_default_signature_with_names_dtypes_and_a_symbolic_batch()
    {
        var answer = await Rest.Get(_client, "/v1/models/mnist/metadata");
        Assert.Equal("mnist", answer.GetProperty("model_spec").GetProperty("name").GetString());
        Assert.Equal("1", answer.GetProperty("model_spec").GetProperty("version").GetString());
        var signature = answer.GetProperty("metadata").GetProperty("signature_def").GetProperty("signature_def").GetProperty("serving_default");
        Assert.Equal("tensorflow/serving/predict", signature.GetProperty("method_name").GetString());
        var input = signature.GetProperty("inputs").GetProperty("input");
        Assert.Equal("DT_FLOAT", input.GetProperty("dtype").GetString());
        Assert.Equal(["-1", "1", "28", "28"], Dims(input));
        var output = signature.GetProperty("outputs").GetProperty("probabilities");
        Assert.Equal(["-1", "10"], Dims(output));
        Assert.Equal(answer.GetRawText(), (await Rest.Get(_client, "/v1/models/mnist/versions/1/metadata")).GetRawText());
    }

    [Fact]
    public async Task Row_format_single_and_batch_answer_predictions_of_ten_probabilities()
    {
        var single = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"instances": [{{Image(0)}}]}"""));
        var probabilities = Assert.Single(single);
        Assert.Equal(10, probabilities.Length);
        Assert.Equal(1.0, probabilities.Sum(), 4);

        var batch = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"instances": [{{Image(0)}}, {{Image(1)}}, {{Image(2)}}]}"""));
        Assert.Equal(3, batch.Length);
        Assert.Equal(probabilities, batch[0]);
        Assert.NotEqual(batch[0], batch[1]);
    }

    [Fact]
    public async Task Row_format_with_named_inputs_columnar_format_signature_name_and_a_version_give_the_same_answer()
    {
        var plain = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"instances": [{{Image(3)}}, {{Image(4)}}]}"""));
        var named = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"instances": [{"input": {{Image(3)}}}, {"input": {{Image(4)}}}]}"""));
        var columnar = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"inputs": [{{Image(3)}}, {{Image(4)}}]}"""), "outputs");
        var columnarNamed = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", $$$"""{"inputs": {"input": [{{{Image(3)}}}, {{{Image(4)}}}]}}"""), "outputs");
        var signature = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist/versions/1:predict",
            $$"""{"signature_name": "serving_default", "instances": [{{Image(3)}}, {{Image(4)}}]}"""));
        foreach (var answer in new[] { named, columnar, columnarNamed, signature }) Assert.Equal(plain, answer);
    }

    [Fact]
    public async Task On_real_MNIST_test_images_the_served_class_is_the_tflite_files_class_in_LiteRT()
    {
        const int count = 100;
        var images = TestImages.Images[..count];
        var body = $$"""{"instances": [{{string.Join(",", images.Select(Rest.Image))}}]}""";
        var served = Rest.Rows(await Rest.Post(_client, "/v1/models/mnist:predict", body)).Select(Rest.ArgMax).ToArray();

        var liteRt = LiteRtRunner.Locate().Run(_models.FirstTflite, images).Select(Rest.ArgMax).ToArray();   // [28·28·1]: NHWC is NCHW for one channel
        Assert.Equal(liteRt, served);
        var correct = served.Zip(TestImages.Labels, (c, label) => c == label).Count(same => same);
        Assert.True(correct >= 85, $"the served model is right on only {correct} of {count} test images");
    }

    [Fact]
    public async Task Health_is_200_with_a_model_available_and_metrics_count_predictions_in_Prometheus_format()
    {
        using var health = await _client.GetAsync("/healthz");
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        await Rest.Post(_client, "/v1/models/mnist:predict", $$"""{"instances": [{{Image(0)}}]}""");
        await Rest.Post(_client, "/v1/models/mnist:predict", """{"instances": []}""", expectedStatus: 400);
        var metrics = await _client.GetStringAsync("/metrics");
        Assert.Contains("prune_serving_predictions_total{otel_scope_name=\"Prune.Serving\",model=\"mnist\",status=\"200\"} 1", metrics);
        Assert.Contains("prune_serving_predictions_total{otel_scope_name=\"Prune.Serving\",model=\"mnist\",status=\"400\"} 1", metrics);
        Assert.Contains("prune_serving_predict_duration_seconds_bucket{otel_scope_name=\"Prune.Serving\",model=\"mnist\",le=\"0.01\"}", metrics);
        Assert.Contains("http_server_request_duration_seconds_count", metrics);     // ASP.NET Core's own meters beside ours
    }

    [Fact]
    public async Task Health_is_503_while_a_model_has_no_version()
    {
        using var empty = new ModelFolder();
        using var server = TestServer.For(empty.Path);
        using var client = server.CreateClient();
        using var health = await client.GetAsync("/healthz");
        Assert.Equal(503, (int)health.StatusCode);
        Assert.Contains("Could not find any versions of model mnist", Rest.Error(await Rest.Get(client, "/v1/models/mnist", 404)));
    }

    private static string[] Dims(JsonElement tensor) =>
        tensor.GetProperty("tensor_shape").GetProperty("dim").EnumerateArray().Select(d => d.GetProperty("size").GetString()!).ToArray();

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }
}
