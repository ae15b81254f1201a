using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prune.Serving.Config;

namespace Prune.Serving.Tests;

/// <summary>
/// The server in ASP.NET Core's test server (WebApplicationFactory), wired as <c>dotnet prune serve</c> wires it
/// (<see cref="ServingApplication.AddTensorFlowServing"/> and <see cref="ServingApplication.MapTensorFlowServing"/>),
/// with every log line kept for the tests to read.
/// </summary>
internal sealed class TestServer(ServingOptions options) : WebApplicationFactory<Tool.Program>
{
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>A server for one model served from <paramref name="basePath"/>.</summary>
    public static TestServer For(string basePath, string name = "mnist", bool batching = false, BatchingParameters? parameters = null, long maxRequestBytes = 16 * 1024 * 1024) =>
        new(new ServingOptions
        {
            Models = [new ModelSource(name, basePath, VersionPolicy.LatestOne)],
            EnableBatching = batching,
            Batching = parameters ?? new BatchingParameters(),
            MaxRequestBytes = maxRequestBytes,
        });

    protected override IHostBuilder CreateHostBuilder() => Host.CreateDefaultBuilder()
        .ConfigureLogging(logging => logging.ClearProviders().AddProvider(new ListLoggerProvider(Log)))
        .ConfigureWebHostDefaults(web => web
            .ConfigureServices(services => services.AddTensorFlowServing(options))
            .Configure(app => app.UseRouting().UseEndpoints(endpoints => endpoints.MapTensorFlowServing())));

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}

/// <summary>Request bodies in TensorFlow Serving's documented shapes, and reading the answers.</summary>
internal static class Rest
{
    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>One MNIST image as the model's input sample [1, 28, 28]: 28 rows of 28 pixels, in one channel.</summary>
    public static string Image(float[] pixels)
    {
        var rows = Enumerable.Range(0, 28).Select(r => "[" + string.Join(",", pixels.Skip(r * 28).Take(28).Select(p => p.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]");
        return "[[" + string.Join(",", rows) + "]]";
    }

    public static async Task<JsonElement> Post(HttpClient client, string path, string body, int expectedStatus = 200)
    {
        using var response = await client.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> Get(HttpClient client, string path, int expectedStatus = 200)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The predictions (or outputs) of an answer as rows of floats.</summary>
    public static float[][] Rows(JsonElement answer, string key = "predictions") =>
        answer.GetProperty(key).EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

    public static int ArgMax(float[] row) => Array.IndexOf(row, row.Max());

    /// <summary>The answer is TensorFlow Serving's error shape: an object with one string, "error".</summary>
    public static string Error(JsonElement answer)
    {
        Assert.Equal(JsonValueKind.Object, answer.ValueKind);
        var property = Assert.Single(answer.EnumerateObject());
        Assert.Equal("error", property.Name);
        Assert.False(string.IsNullOrWhiteSpace(property.Value.GetString()));
        return property.Value.GetString()!;
    }
}

/// <summary>Real MNIST test images, read once.</summary>
internal static class TestImages
{
    private static readonly Lazy<(float[][] Images, byte[] Labels)> s_images = new(() => Data.Mnist.TestImages(200));

    public static float[][] Images => s_images.Value.Images;

    public static byte[] Labels => s_images.Value.Labels;
}

/// <summary>A model folder laid out as TensorFlow Serving expects, in a temporary directory.</summary>
internal sealed class ModelFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("prune-serving-model-").FullName;

    /// <summary>Puts <paramref name="onnx"/> in as <paramref name="version"/> the way a deployment should: written in a
    /// temporary folder, then renamed into place, so the poller never sees half a file.</summary>
    public void Add(long version, byte[] onnx)
    {
        var staging = System.IO.Path.Combine(Path, $".staging-{version}");
        Directory.CreateDirectory(staging);
        File.WriteAllBytes(System.IO.Path.Combine(staging, "model.onnx"), onnx);
        Directory.Move(staging, System.IO.Path.Combine(Path, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
