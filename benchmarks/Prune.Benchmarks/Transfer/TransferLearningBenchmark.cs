using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Prune.Pipeline;
using Prune.Specs;
using Prune.Training;
using Samples.Transfer;

namespace Prune.Benchmarks.Transfer;

/// <summary>
/// Issue 14's "Must show": samples/TransferResNet18 (its declaration, compiled in) from the ML.NET package's ImageNet
/// weights and from random initialization (which keeps the sample's [Normalize]: both starts see the same inputs), on the
/// same MNIST subset, steps and seed. Each start is built by the
/// pipeline (baseline, then pruned to 50% while fine-tuning), and its cached baseline is fine-tuned once more for the
/// same epochs, learning rate, batches and shuffle without masks: the unpruned model the pruned one is fairly compared
/// with. All are evaluated on the 10,000 test images. Goals: the pretrained start's unpruned fine-tuned model at least
/// 5 points above the random start's, and its 50%-pruned model within 1 point of it.
/// </summary>
internal sealed class TransferLearningBenchmark : IBenchmark
{
    private const double TransferBar = 5, PruningBar = 1;

    /// <summary>samples/TransferResNet18's training subset (PruneTrainLimit in its project), used unless told otherwise.</summary>
    private const int SampleTrainLimit = 1000;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public string Name => "transfer-resnet18";

    public string Description => "ResNet-18 on 3x32x32 MNIST: ImageNet-pretrained vs random init; unpruned vs 50% pruned after the same fine-tuning (samples/TransferResNet18).";

    public int Run(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        // usage: transfer-resnet18 [output directory] [training images, default the sample's PruneTrainLimit] [seed, default the sample's]
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(args.Count > 0 ? args[0] : Path.Combine("artifacts", "transfer-resnet18"));
        var trainLimit = args.Count > 1 ? int.Parse(args[1], C) : SampleTrainLimit;
        var package = typeof(TransferLearningBenchmark).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ResNet18Package").Value!;
        var spec = TransferResNet18.ModelSpec;
        if (args.Count > 2) spec = spec with { Training = spec.Training with { Seed = int.Parse(args[2], C) } };
        var training = spec.Training;
        Console.WriteLine(string.Create(C, $"{spec.Name}: {trainLimit:N0} training images; baseline {training.Epochs} epochs at {training.LearningRate}, fine-tuning {training.FineTuneEpochs} epochs at {training.FineTuneLearningRate}, batch {training.BatchSize}, seed {training.Seed}, {Trainer.Threads} threads; files in {output}."));

        var results = new List<Result>();
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
            var log = new ConsoleLog();
            PrunePipeline.Run(request, log, cancellation);
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, $"{spec.Name}.report.json")));
            var accuracy = report.RootElement.GetProperty("accuracy");
            var unpruned = FineTunedWithoutPruning(request, log, cancellation);
            results.Add(new Result(name, accuracy.GetProperty("baseline").GetDouble(), unpruned, accuracy.GetProperty("pruned").GetDouble()));
        }

        Console.WriteLine();
        Console.WriteLine($"| start | baseline ({training.Epochs} epochs) | fine-tuned {training.FineTuneEpochs} more, unpruned | pruned to 50% while fine-tuning the same {training.FineTuneEpochs} | pruned − unpruned (points) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var r in results)
            Console.WriteLine(string.Create(C, $"| {r.Start} | {r.Baseline:P2} | {r.Unpruned:P2} | {r.Pruned:P2} | {r.PruningCost:+0.00;-0.00;0.00} |"));
        var (pretrained, random) = (results[0], results[1]);
        var transferGain = (pretrained.Unpruned - random.Unpruned) * 100;
        Console.WriteLine();
        Console.WriteLine(string.Create(C, $"Pretrained minus random: {transferGain:+0.00;-0.00} points fine-tuned unpruned, {(pretrained.Baseline - random.Baseline) * 100:+0.00;-0.00} at the baseline, {(pretrained.Pruned - random.Pruned) * 100:+0.00;-0.00} pruned."));
        var met = transferGain >= TransferBar && Math.Abs(pretrained.PruningCost) <= PruningBar;
        Console.WriteLine(met ? "Goals met." : $"GOAL MISSED: the pretrained start must beat the random one by {TransferBar} points or more (fine-tuned, unpruned), and its pruned model stay within {PruningBar} point of its unpruned one.");
        Console.WriteLine($"Total {clock.Elapsed.TotalSeconds:F0} s.");
        return met ? 0 : 1;
    }


    /// <summary>The run's cached baseline (the pipeline has just trained it), fine-tuned as the pruned model was, without masks;
    /// its accuracy on the test images.</summary>
    private static double FineTunedWithoutPruning(PipelineRequest request, IPipelineLog log, CancellationToken cancellation)
    {
        using var data = ModelData.Load(request, log);
        var training = EffectiveTraining.For(request);
        var (model, baseline) = TrainedBaseline.Prepare(request, data, training, log, cancellation);
        using var _ = model;
        if (!baseline.FromCache) throw new InvalidOperationException("The pipeline's baseline was not reused: the control would not start where the pruned model did.");
        FineTuning.WithoutPruning(model, data, training, request.Device, log, cancellation);
        return Trainer.Evaluate(model, data.Test).Accuracy;
    }

    /// <summary>One start's test accuracies.</summary>
    private sealed record Result(string Start, double Baseline, double Unpruned, double Pruned)
    {
        public double PruningCost => (Pruned - Unpruned) * 100;
    }

    /// <summary>The pipeline's progress and warnings on the console.</summary>
    private sealed class ConsoleLog : IPipelineLog
    {
        public void Progress(string message) => Console.WriteLine(message);

        public void Info(string message) { }

        public void Warning(PipelineWarning warning, string message, SourceLocation? source = null) => Console.WriteLine($"warning {warning}: {message}");
    }
}
