using System.Diagnostics;
using System.Globalization;
using Prune.Data;
using Prune.Pruning;
using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Benchmarks.Engine;

/// <summary>
/// The seed CNN on full MNIST: a baseline (Adam, 3 epochs at 1e-3 then 1 at 1e-4), then PolynomialDecay 0 → 0.8
/// over the first of 3 fine-tuning epochs at 3e-4 (two epochs to recover at full sparsity), then strip. Goals: baseline ≥ 99.0%, pruned ≥ 98.8%,
/// every pruned weight tensor 80% ± 0.5% exact zeros.
/// </summary>
internal sealed class MnistPruneBenchmark : IBenchmark
{
    private const int BatchSize = 64;
    private const int Seed = 42;
    private const double FinalSparsity = 0.8;
    private const int FineTuneEpochs = 3;

    public string Name => "mnist-prune";

    public string Description => "Seed CNN on full MNIST: baseline >= 99.0%, 80% PolynomialDecay pruning >= 98.8%, strip, exact zeros.";

    public int Run(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var (train, test) = Mnist.Load();
        using var trainData = train;
        using var testData = test;
        Console.WriteLine($"MNIST loaded: {train.Count} train, {test.Count} test ({clock.Elapsed.TotalSeconds:F1} s). Load average {LoadAverage()}.");

        var stepsPerEpoch = (train.Count + BatchSize - 1) / BatchSize;
        // tfmot updates masks only on multiples of the frequency: an end step on one reaches the final sparsity exactly.
        var schedule = new PolynomialDecay(0, FinalSparsity, beginStep: 0, endStep: stepsPerEpoch / 100 * 100, frequency: 100);
        manual_seed(Seed);
        using var model = Model.FromSpec(SeedCnn.Pruned(new PruningSpec(schedule)));
        var progress = new ConsoleProgress();

        var baseline = new FitOptions { Optimizer = Optimizer.Adam, LearningRate = 1e-3, BatchSize = BatchSize, Epochs = 3, Seed = Seed };
        var baselineTime = Stopwatch.StartNew();
        Trainer.Fit(model, train, baseline, progress: progress, cancellationToken: cancellation);
        Trainer.Fit(model, train, baseline with { LearningRate = 1e-4, Epochs = 1, Seed = Seed + 1 }, progress: progress, cancellationToken: cancellation);
        baselineTime.Stop();
        var before = Trainer.Evaluate(model, test);
        Console.WriteLine($"Baseline: {before.Accuracy:P2} test accuracy, loss {before.Loss:F4} ({baselineTime.Elapsed.TotalSeconds:F0} s).");

        var pruner = new Pruner(model);
        var fineTuneTime = Stopwatch.StartNew();
        var fineTune = baseline with { LearningRate = 3e-4, Epochs = FineTuneEpochs, Seed = Seed + 2 };
        Trainer.Fit(model, train, fineTune, pruner, progress, cancellation);
        fineTuneTime.Stop();
        Strip.Apply(model);
        var after = Trainer.Evaluate(model, test);
        var report = SparsityReport.Of(model);
        var stateLeft = model.state_dict().Keys.Count(k => k.EndsWith(WeightLayer.MaskBufferName, StringComparison.Ordinal));

        var accuracyOk = before.Accuracy >= 0.990 && after.Accuracy >= 0.988;
        var sparsityOk = report.Where(r => r.Target is not null).All(r => Math.Abs(r.Achieved - FinalSparsity) <= 0.005);
        Console.WriteLine();
        Console.WriteLine("| measure | value | goal |");
        Console.WriteLine("|---|---:|---|");
        Console.WriteLine(Row("baseline test accuracy", before.Accuracy.ToString("P2", CultureInfo.InvariantCulture), ">= 99.0%"));
        Console.WriteLine(Row("pruned + stripped test accuracy", after.Accuracy.ToString("P2", CultureInfo.InvariantCulture), ">= 98.8%"));
        Console.WriteLine(Row("mask buffers left after strip", stateLeft.ToString(CultureInfo.InvariantCulture), "0"));
        Console.WriteLine(Row("baseline training (4 epochs)", $"{baselineTime.Elapsed.TotalSeconds:F0} s", ""));
        Console.WriteLine(Row($"fine-tuning while pruning ({FineTuneEpochs} epochs)", $"{fineTuneTime.Elapsed.TotalSeconds:F0} s", ""));
        Console.WriteLine(Row("schedule", schedule.ToString(), ""));
        Console.WriteLine();
        Console.Write(SparsityReport.ToMarkdown(report));
        Console.WriteLine();
        Console.WriteLine($"Total {clock.Elapsed.TotalSeconds:F0} s; load average at the end {LoadAverage()}.");
        var ok = accuracyOk && sparsityOk && stateLeft == 0;
        Console.WriteLine(ok ? "All goals met." : "GOAL MISSED.");
        return ok ? 0 : 1;
    }

    private static string Row(string measure, string value, string goal) => $"| {measure} | {value} | {goal} |";

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
