using System.Diagnostics;
using System.Globalization;
using Prune.Data;
using Prune.Export;
using Prune.LiteRt;
using Prune.Pipeline;
using Prune.Pruning;
using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Benchmarks.Engine;

/// <summary>
/// Issue 11's "Must show": does pruning make the MNIST CNN (samples/MnistCnn's architecture) faster in LiteRT? One
/// baseline, then from it: dense; unstructured 80%; filters removed at 25%, 50% and 75% of every hidden layer's
/// channels. Per file: batch-1 LiteRT latency (one Node process loads every file, warms each up, then runs them in
/// turn, one inference each, for 1,000 rounds; the median of each file's runs), MACs and parameters read from the file, raw
/// and gzipped size, and LiteRT's accuracy on all 10,000 test images. Goal: a filter level at least 2× faster than
/// dense and at most 0.5 points less accurate.
/// </summary>
internal sealed class FilterPruningBenchmark : IBenchmark
{
    private const int Seed = 42;
    private const int BatchSize = 64;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public string Name => "filter-pruning";

    public string Description => "MNIST CNN: dense, unstructured 80%, filters 25/50/75% in LiteRT: batch-1 latency, MACs, sizes, accuracy.";

    public int Run(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        // usage: filter-pruning [output directory] [baseline epochs, default 4] [fine-tuning steps, default 1,876 (2 epochs)] [timed runs per file, default 1,000]
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(args.Count > 0 ? args[0] : Path.Combine("artifacts", "filter-pruning"));
        var epochs = args.Count > 1 ? int.Parse(args[1], C) : 4;
        var timing = LatencyRuns.Default with { Runs = args.Count > 3 ? int.Parse(args[3], C) : LatencyRuns.Default.Runs };
        Directory.CreateDirectory(output);
        var (train, test) = Mnist.Load();
        var stepsPerEpoch = (int)((train.Count + BatchSize - 1) / BatchSize);
        var fineTuneSteps = args.Count > 2 ? int.Parse(args[2], C) : 2 * stepsPerEpoch;
        using var trainData = train;
        using var testData = test;
        var runner = LiteRtRunner.Locate();
        Console.WriteLine($"MNIST {train.Count} train / {test.Count} test; baseline {epochs} epochs, fine-tuning {fineTuneSteps} steps; files in {output}.");

        // samples/MnistCnn's training: Adam 1e-3, batch 64; fine-tuning at 3e-4, the schedule reaching its target halfway
        // through (on a mask update), the second half to recover.
        var fit = new FitOptions { Optimizer = Optimizer.Adam, LearningRate = 1e-3, BatchSize = BatchSize, Epochs = epochs, Seed = Seed };
        manual_seed(Seed);
        using var baseline = Model.FromSpec(SeedCnn.Pruned(null));
        Trainer.Fit(baseline, train, fit, progress: new ConsoleProgress(), cancellationToken: cancellation);
        baseline.eval();

        var variants = new List<Variant> { new("dense", Export(baseline, output, "dense")) };
        // Masks update every 50 steps; the last update halfway through fine-tuning.
        var halfway = fineTuneSteps / 2 / 50 * 50;
        var unstructured = new PruningSpec(Schedule(0.8, halfway));
        variants.Add(Prune(baseline, "unstructured 80%", SeedCnn.Pruned(unstructured), fit, fineTuneSteps, train, output, cancellation));
        foreach (var level in new[] { 0.25, 0.5, 0.75 })
        {
            var filters = new PruningSpec(Schedule(level, halfway)) { Filter = FilterCriterion.L1 };
            var name = $"filters {level:P0}".Replace(" %", "%", StringComparison.Ordinal);
            variants.Add(Prune(baseline, name, SeedCnn.FilterPruned(filters), fit, fineTuneSteps, train, output, cancellation));
        }

        var images = Nhwc(test.Features);
        var labels = test.Labels.data<long>().ToArray();
        foreach (var v in variants)
        {
            var logits = runner.Run(v.Path, images, (int)test.Count);
            v.Accuracy = LiteRtAccuracy(logits, labels);
        }
        // Latency: the files take turns, one inference each, in one process, so a busy moment of the shared machine
        // falls on them all alike and the speed-ups are ratios measured side by side.
        var sample = images.AsSpan(0, 28 * 28).ToArray();
        var latencies = runner.TimeInterleaved([.. variants.Select(v => v.Path)], sample, timing);
        var timings = variants.Zip(latencies).ToDictionary(p => p.First, p => p.Second.P50Ms);

        var dense = variants[0];
        var denseLatency = timings[dense];
        Console.WriteLine();
        Console.WriteLine($"| model | LiteRT accuracy (10,000) | Δ points | batch-1 p50 | speed-up vs dense | MACs | on nonzero weights | parameters | raw bytes | gzip bytes |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Variant? winner = null;
        foreach (var v in variants)
        {
            var bytes = File.ReadAllBytes(v.Path);
            var costs = OperatorCosts.Of(TfLiteReader.Read(bytes));
            var size = FileSize.Of(v.Name, bytes);
            var latency = timings[v];
            var speedUp = denseLatency / latency;
            var drop = (dense.Accuracy - v.Accuracy) * 100;
            if (v.Name.StartsWith("filters", StringComparison.Ordinal) && speedUp >= 2 && drop <= 0.5 && winner is null) winner = v;
            Console.WriteLine(string.Create(C, $"| {v.Name} | {v.Accuracy:P2} | {-drop:+0.00;-0.00;0.00} | {latency:F3} ms | {speedUp:F2}× | {costs.Sum(c => c.MultiplyAccumulates):N0} | {costs.Sum(c => c.NonzeroMultiplyAccumulates):N0} | {costs.Sum(c => c.Parameters):N0} | {size.Bytes:N0} | {size.GzipBytes:N0} |"));
        }
        Console.WriteLine();
        Console.WriteLine($"Latency: the median of {timing.Runs:N0} timed batch-1 runs per file after {timing.WarmUp} untimed ones, all files in one Node process taking turns, one inference each.");
        Console.WriteLine(winner is null
            ? "GOAL MISSED: no filter level is 2x faster than dense within 0.5 points of its accuracy."
            : $"Goal met by '{winner.Name}': at least 2x faster than dense within 0.5 points of its accuracy.");
        Console.WriteLine($"Total {clock.Elapsed.TotalSeconds:F0} s.");
        return winner is null ? 1 : 0;
    }

    /// <summary>0 → <paramref name="target"/> by <paramref name="endStep"/>, as samples/MnistCnn's PolynomialDecay.</summary>
    private static PolynomialDecay Schedule(double target, long endStep) => new(0, target, beginStep: 0, endStep: endStep, frequency: 50);

    private static Variant Prune(Model baseline, string name, ModelSpec spec, FitOptions fit, int steps, Dataset train, string output, CancellationToken cancellation)
    {
        Console.WriteLine($"## {name}");
        using var model = Model.FromSpec(spec);
        using (no_grad())
        {
            var source = baseline.state_dict();
            foreach (var (key, value) in model.state_dict()) value.copy_(source[key]);
        }
        Trainer.Fit(model, train, fit with { LearningRate = 3e-4, Epochs = (int)((steps * (long)fit.BatchSize + train.Count - 1) / train.Count), MaxSteps = steps, Seed = Seed + 1 }, new Pruner(model), new ConsoleProgress(), cancellation);
        var stripped = Strip.Apply(model);
        using var shrunk = ReferenceEquals(stripped, model) ? null : stripped;
        stripped.eval();
        return new Variant(name, Export(stripped, output, name));
    }

    private static string Export(Model model, string output, string name)
    {
        var path = Path.Combine(output, $"MnistCnn-{name.Replace(' ', '-').Replace("%", "", StringComparison.Ordinal)}.tflite");
        TfLiteExporter.ExportToFile(model, path, new ExportOptions { Storage = WeightStorage.Auto });
        return path;
    }

    private static float[] Nhwc(Tensor nchw)
    {
        var flat = nchw.contiguous().data<float>().ToArray();
        return LiteRtRunner.NchwToNhwc(flat, (int)nchw.shape[1], (int)nchw.shape[2], (int)nchw.shape[3]);
    }

    private static double LiteRtAccuracy(float[] logits, long[] labels)
    {
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = logits.AsSpan(i * 10, 10);
            var best = 0;
            for (var c = 1; c < 10; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return (double)correct / labels.Length;
    }

    private sealed class Variant(string name, string path)
    {
        public string Name { get; } = name;
        public string Path { get; } = path;
        public double Accuracy { get; set; }
    }
}
