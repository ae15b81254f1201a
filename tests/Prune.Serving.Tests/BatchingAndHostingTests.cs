using System.Globalization;
using System.Text.RegularExpressions;
using Prune.Serving.Config;

namespace Prune.Serving.Tests;

/// <summary>Batching merges concurrent requests without changing their answers; the Kestrel application the tool runs
/// serves several models from a config file over real HTTP on loopback.</summary>
[Collection(ServedModelsCollection.Name)]
public sealed partial class BatchingAndHostingTests(BuiltModels models) : IDisposable
{
    private readonly ModelFolder _folder = new();

    [Fact]
    public async Task With_batching_on_concurrent_requests_share_ONNX_Runtime_calls_and_each_gets_its_own_answer()
    {
        _folder.Add(1, File.ReadAllBytes(models.First));
        var parameters = new BatchingParameters { MaxBatchSize = 8, BatchTimeout = TimeSpan.FromMilliseconds(200), NumBatchThreads = 1 };
        using var server = TestServer.For(_folder.Path, batching: true, parameters: parameters);
        using var client = server.CreateClient();

        const int requests = 16;
        var answers = await Task.WhenAll(Enumerable.Range(0, requests).Select(i =>
            Rest.Post(client, "/v1/models/mnist:predict", $$"""{"instances": [{{Rest.Image(TestImages.Images[i])}}]}""")));

        for (var i = 0; i < requests; i++)
            Assert.True(Reference.Close(Rest.Rows(answers[i])[0], Reference.Probabilities(models.First, TestImages.Images[i])), $"request {i} got another's answer");
        var metrics = await client.GetStringAsync("/metrics");
        var batches = Value(metrics, "prune_serving_batch_size_count");
        Assert.Equal(requests, Value(metrics, "prune_serving_batch_size_sum"));
        Assert.True(batches < requests, $"{batches} ONNX Runtime calls for {requests} requests: nothing was merged");
    }

    [Fact]
    public async Task The_tools_Kestrel_application_serves_several_models_from_a_model_config_file_over_loopback()
    {
        var config = Path.Combine(_folder.Path, "models.config");
        File.WriteAllText(config, $$"""
            # two models, as TensorFlow Serving's --model_config_file lists them
            model_config_list {
              config {
                name: 'first'
                base_path: '{{models.First}}'
                model_platform: 'onnx'
              }
              config {
                name: "second"
                base_path: "{{models.Second}}"
                model_version_policy { latest { num_versions: 1 } }
              }
            }
            """);
        var settings = new Tool.Commands.ServeSettings { ModelConfigFile = config, RestApiPort = 8501 };
        Assert.True(settings.Validate().Successful);
        await using var app = ServingApplication.Build(settings.ToOptions(), "127.0.0.1", 0);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var image = TestImages.Images[5];
        var body = $$"""{"instances": [{{Rest.Image(image)}}]}""";
        Assert.True(Reference.Close(Rest.Rows(await Rest.Post(client, "/v1/models/first:predict", body))[0], Reference.Probabilities(models.First, image)));
        Assert.True(Reference.Close(Rest.Rows(await Rest.Post(client, "/v1/models/second:predict", body))[0], Reference.Probabilities(models.Second, image)));
        Assert.Contains("Servable not found", Rest.Error(await Rest.Post(client, "/v1/models/third:predict", body, expectedStatus: 404)));
        await app.StopAsync();
    }

    [Theory]
    [InlineData(new[] { "serve" }, "Give either --model_base_path")]
    [InlineData(new[] { "serve", "--model_base_path=x.onnx", "--port=8500" }, "Unknown option 'port'")]
    [InlineData(new[] { "serve", "--model_base_path=x.onnx", "--rest_api_port=0" }, "the REST API is all this server speaks")]
    [InlineData(new[] { "serve", "--model_config_file=/nonexistent/models.config" }, "/nonexistent/models.config: cannot be read")]
    [InlineData(new[] { "serve", "--model_base_path=m.onnx", "--model_name=a/b" }, "'a/b' cannot be a model name")]
    public async Task Bad_flags_and_files_are_one_line_and_exit_code_1(string[] args, string message)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = await Tool.Program.CreateApp().RunAsync(args);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.NotEqual(0, exit);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    [Fact]
    public void A_batching_parameters_file_in_TensorFlow_Servings_format_sets_the_batching()
    {
        var file = Path.Combine(_folder.Path, "batching.config");
        File.WriteAllText(file, """
            max_batch_size { value: 64 }
            batch_timeout_micros { value: 2000 }
            max_enqueued_batches { value: 50 }
            num_batch_threads { value: 2 }
            """);
        Assert.Equal(new BatchingParameters { MaxBatchSize = 64, BatchTimeout = TimeSpan.FromMilliseconds(2), MaxEnqueuedBatches = 50, NumBatchThreads = 2 },
            ConfigFiles.ReadBatchingParameters(file));
        File.WriteAllText(file, "max_batch_size { value: -1 }");
        Assert.Contains("line 1: max_batch_size must be a whole number above 0", Assert.Throws<ConfigException>(() => ConfigFiles.ReadBatchingParameters(file)).Message);
    }

    private static double Value(string metrics, string name)
    {
        var match = MetricLine().Matches(metrics).Single(m => m.Groups["name"].Value == name);
        return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)\{[^}]*\} (?<value>[0-9.e+-]+)", RegexOptions.Multiline)]
    private static partial Regex MetricLine();

    public void Dispose() => _folder.Dispose();
}
