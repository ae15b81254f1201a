using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Prune.Data;
using Prune.Serving;
using Prune.Serving.Config;

namespace Prune.Benchmarks.Serving;

/// <summary>
/// Issue 13's load benchmark: one .onnx model (MnistCnn80 from the samples' build) served by the same Kestrel
/// application as <c>dotnet prune serve</c> on loopback, once with batching off and once on, both running side by side;
/// at concurrency 1, 8 and 32, a fixed number of single-image predict requests (real MNIST test images, TensorFlow
/// Serving's row format), for throughput and p50/p99 latency. Rounds alternate off/on so both see the same machine
/// load; each cell reports the median round. Goal: batching on at concurrency 32 at least 1.5× the throughput of off.
/// </summary>
public sealed class ServingLoadBenchmark : IBenchmark
{
    private static readonly int[] Concurrency = [1, 8, 32];
    private const int Rounds = 3;
    private static readonly TimeSpan CellLimit = TimeSpan.FromSeconds(60);

    public string Name => "serve-load";

    public string Description => "MnistCnn80.onnx behind the TF-Serving REST API on loopback: throughput, p50/p99 at concurrency 1/8/32, batching off and on";

    public int Run(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var model = args.Count > 0 ? args[0] : Path.Combine("samples", "MnistCnn", "bin", "Debug", "net10.0", "pruned", "MnistCnn80.onnx");
        var requests = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        if (!File.Exists(model))
        {
            Console.Error.WriteLine($"{model} not found: run `dotnet build samples/MnistCnn` first, or give the .onnx path.");
            return 2;
        }
        var bodies = Bodies(200);
        // TensorFlow Serving's defaults when batching is on without a parameters file: no waiting, merge what is queued.
        var timeout = args.Count > 2 ? TimeSpan.FromMicroseconds(int.Parse(args[2], CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        var batching = new BatchingParameters { MaxBatchSize = 32, BatchTimeout = timeout, NumBatchThreads = Environment.ProcessorCount };
        OnnxRuntimeAlone(model, bodies.Length);
        using var off = Server.Start(model, batching: null);
        using var on = Server.Start(model, batching);

        Console.WriteLine($"Model `{Path.GetFileName(model)}` ({new FileInfo(model).Length:N0} bytes); {requests:N0} requests per cell (concurrency 1: {requests / 4:N0}), single 28×28 image each; " +
                          $"batching on: max_batch_size {batching.MaxBatchSize}, batch_timeout_micros {batching.BatchTimeout.TotalMicroseconds:F0}, num_batch_threads {batching.NumBatchThreads}; median of {Rounds} alternating rounds.");
        Console.WriteLine();
        Console.WriteLine("| concurrency | batching | requests/s | p50 ms | p99 ms | failed |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|");
        var ratio32 = 0.0;
        foreach (var concurrency in Concurrency)
        {
            var count = concurrency == 1 ? requests / 4 : requests;
            var results = new Dictionary<string, List<Cell>> { ["off"] = [], ["on"] = [] };
            Load(off, bodies, concurrency, 50, cancellation);     // warm-up: connections, JIT, ONNX Runtime's first runs
            Load(on, bodies, concurrency, 50, cancellation);
            for (var round = 0; round < Rounds; round++)
            {
                results["off"].Add(Load(off, bodies, concurrency, count, cancellation));
                results["on"].Add(Load(on, bodies, concurrency, count, cancellation));
            }
            foreach (var (mode, cells) in results)
            {
                var median = cells.OrderBy(c => c.Throughput).ElementAt(cells.Count / 2);
                Console.WriteLine($"| {concurrency} | {mode} | {median.Throughput:F0} | {median.P50:F2} | {median.P99:F2} | {cells.Sum(c => c.Failed)} |");
            }
            if (concurrency == 32) ratio32 = Median(results["on"]) / Median(results["off"]);
        }
        Console.WriteLine();
        Console.WriteLine($"Batching on / off at concurrency 32: **{ratio32:F2}×** throughput (goal >= 1.5×).");
        return ratio32 >= 1.5 ? 0 : 1;
    }

    /// <summary>What batching can save at most: ONNX Runtime's time per image at batch 1 against batch 32, without HTTP or JSON.</summary>
    private static void OnnxRuntimeAlone(string model, int images)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model, options);
        double PerImage(int batch)
        {
            var input = new float[batch * 784];
            for (var i = 0; i < input.Length; i++) input[i] = (i % 29) / 29f;
            using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [batch, 1, 28, 28]);
            using var run = new Microsoft.ML.OnnxRuntime.RunOptions();
            var times = new List<double>();
            for (var round = 0; round < 5; round++)
            {
                var clock = Stopwatch.StartNew();
                for (var done = 0; done < images; done += batch)
                {
                    using var outputs = session.Run(run, ["input"], [value], ["probabilities"]);
                }
                times.Add(clock.Elapsed.TotalMicroseconds / images);
            }
            return times.Min();
        }
        var one = PerImage(1);
        var many = PerImage(32);
        Console.WriteLine($"ONNX Runtime alone (one thread, best of 5 × {images} images): {one:F0} µs per image at batch 1, {many:F0} µs at batch 32 ({one / many:F2}× less).");
    }

    private static double Median(List<Cell> cells) => cells.Select(c => c.Throughput).Order().ElementAt(cells.Count / 2);

    private sealed record Cell(double Throughput, double P50, double P99, int Failed);

    /// <summary><paramref name="count"/> requests from <paramref name="concurrency"/> clients that each send the next
    /// request when the previous is answered; stops early at <see cref="CellLimit"/>.</summary>
    private static Cell Load(Server server, byte[][] bodies, int concurrency, int count, CancellationToken cancellation)
    {
        var latencies = new double[count];
        var next = -1;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!cancellation.IsCancellationRequested && clock.Elapsed < CellLimit)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count) return;
                var start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(bodies[i % bodies.Length]);
                using var response = await server.Client.PostAsync("/v1/models/mnist:predict", content).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failed);
            }
        })).ToArray();
        Task.WaitAll(clients, cancellation);
        var elapsed = clock.Elapsed;
        var done = Math.Min(count, next);
        var sorted = latencies[..done].Order().ToArray();
        return new Cell(done / elapsed.TotalSeconds, sorted[(int)(0.50 * (done - 1))], sorted[(int)(0.99 * (done - 1))], failed);
    }

    /// <summary>TensorFlow Serving row-format bodies, one real MNIST test image each ([1, 28, 28] per instance).</summary>
    private static byte[][] Bodies(int count)
    {
        var (train, test) = Mnist.Load();
        using (train)
        using (test)
        {
            using var images = test.Features.narrow(0, 0, count).contiguous();
            var pixels = images.data<float>().ToArray();
            return Enumerable.Range(0, count).Select(i =>
            {
                var rows = Enumerable.Range(0, 28).Select(r => "[" + string.Join(",", pixels.AsSpan(i * 784 + r * 28, 28).ToArray().Select(p => p.ToString("R", CultureInfo.InvariantCulture))) + "]");
                return System.Text.Encoding.UTF8.GetBytes("{\"instances\": [[[" + string.Join(",", rows) + "]]]}");
            }).ToArray();
        }
    }

    /// <summary>The Kestrel application <c>dotnet prune serve</c> runs, on a free loopback port, with a client for it.</summary>
    private sealed class Server : IDisposable
    {
        private readonly Microsoft.AspNetCore.Builder.WebApplication _app;

        private Server(Microsoft.AspNetCore.Builder.WebApplication app, HttpClient client)
        {
            _app = app;
            Client = client;
        }

        public HttpClient Client { get; }

        public static Server Start(string model, BatchingParameters? batching)
        {
            var options = new ServingOptions
            {
                Models = [new ModelSource("mnist", Path.GetFullPath(model), VersionPolicy.LatestOne)],
                EnableBatching = batching is not null,
                Batching = batching ?? new BatchingParameters(),
                FileSystemPollWaitSeconds = 0,
            };
            var app = ServingApplication.Build(options, "127.0.0.1", 0, logging => logging.SetMinimumLevel(LogLevel.Warning));
            app.StartAsync().GetAwaiter().GetResult();
            var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
            return new Server(app, new HttpClient(handler) { BaseAddress = new Uri(app.Urls.Single()) });
        }

        public void Dispose()
        {
            Client.Dispose();
            _app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)_app).Dispose();
        }
    }
}
