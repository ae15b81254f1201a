using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Prune.Pipeline;
using Prune.Specs;
using Samples.Transfer;

namespace Prune.Benchmarks.Transfer;

/// <summary>
/// Issue 14's "Must show": samples/TransferResNet18 (its declaration, compiled in) built twice by the pipeline on the
/// same MNIST subset, steps and seed: from the ML.NET package's ImageNet weights, and from random initialization.
/// Each build trains the baseline (the fine-tuned, unpruned model), then prunes it to 50% while fine-tuning; both are
/// evaluated on all 10,000 test images. Goals: pretrained clearly above random (by 5 points or more), and the 50%-pruned
/// model within 1 point of the unpruned fine-tuned one.
/// </summary>
internal sealed class TransferLearningBenchmark : IBenchmark
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public string Name => "transfer-resnet18";

    public string Description => "ResNet-18 on 3x32x32 MNIST: ImageNet-pretrained vs random init, unpruned vs 50% pruned (samples/TransferResNet18).";

    public int Run(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        // usage: transfer-resnet18 [output directory] [training images, default 2,000: the sample's PruneTrainLimit]
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(args.Count > 0 ? args[0] : Path.Combine("artifacts", "transfer-resnet18"));
        var trainLimit = args.Count > 1 ? int.Parse(args[1], C) : 2000;
        var package = typeof(TransferLearningBenchmark).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18Package").Value!;
        var spec = TransferResNet18.ModelSpec;
        Console.WriteLine($"{spec.Name}: {trainLimit:N0} training images, {spec.Training.Epochs} baseline and {spec.Training.FineTuneEpochs} fine-tuning epochs, seed {spec.Training.Seed}; files in {output}.");

        var results = new List<(string Name, double Baseline, double Pruned)>();
        foreach (var (name, variant) in new[] { ("pretrained (ImageNet)", spec), ("random initialization", spec with { Pretrained = null }) })
        {
            Console.WriteLine($"## {name}");
            var folder = Path.Combine(output, name.Split(' ')[0]);
            var request = new PipelineRequest
            {
                Spec = variant,
                CreateModel = () => Model.FromSpec(variant),
                Data = new DataSource("mnist"),
                OutputDirectory = folder,
                WorkDirectory = Path.Combine(folder, "obj"),
                PretrainedDirectory = Path.Combine(package, "tools", "DnnImageModels"),
                TrainLimit = trainLimit,
                Int8 = false,
                VerifyWithLiteRt = false,
            };
            PrunePipeline.Run(request, new ConsoleLog(), cancellation);
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, $"{spec.Name}.report.json")));
            var accuracy = report.RootElement.GetProperty("accuracy");
            results.Add((name, accuracy.GetProperty("baseline").GetDouble(), accuracy.GetProperty("pruned").GetDouble()));
        }

        Console.WriteLine();
        Console.WriteLine("| start | fine-tuned, unpruned (10,000 test images) | pruned to 50% while fine-tuning | Δ points |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, baseline, pruned) in results)
            Console.WriteLine(string.Create(C, $"| {name} | {baseline:P2} | {pruned:P2} | {(pruned - baseline) * 100:+0.00;-0.00;0.00} |"));
        var (pretrained, random) = (results[0], results[1]);
        var transferGain = (pretrained.Baseline - random.Baseline) * 100;
        var pruningLoss = (pretrained.Baseline - pretrained.Pruned) * 100;
        Console.WriteLine();
        Console.WriteLine(string.Create(C, $"Pretrained minus random: {transferGain:+0.00;-0.00} points unpruned, {(pretrained.Pruned - random.Pruned) * 100:+0.00;-0.00} pruned. 50% pruning costs the pretrained model {pruningLoss:0.00} points."));
        var met = transferGain >= 5 && pruningLoss <= 1;
        Console.WriteLine(met ? "Goals met." : "GOAL MISSED: pretrained must beat random by 5 points or more, and pruning cost at most 1 point.");
        Console.WriteLine($"Total {clock.Elapsed.TotalSeconds:F0} s.");
        return met ? 0 : 1;
    }

    /// <summary>The pipeline's progress and warnings on the console.</summary>
    private sealed class ConsoleLog : IPipelineLog
    {
        public void Progress(string message) => Console.WriteLine(message);

        public void Info(string message) { }

        public void Warning(PipelineWarning warning, string message, SourceLocation? source = null) => Console.WriteLine($"warning {warning}: {message}");
    }
}
