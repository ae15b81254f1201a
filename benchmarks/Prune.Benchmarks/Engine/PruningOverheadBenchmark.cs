using System.Diagnostics;
using System.Globalization;
using Prune.Data;
using Prune.Pruning;
using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Benchmarks.Engine;

/// <summary>
/// The cost of pruning per training step: the seed CNN trained in blocks of 100 steps through the same
/// <see cref="Trainer.Fit"/> loop, alternately with a <see cref="Pruner"/> (ConstantSparsity 0.8, a mask update
/// every 100 steps as tfmot's default, masks applied after every step) and without. Interleaving cancels the
/// drift of a shared machine; the goal is a median ratio of at most 1.03.
/// </summary>
internal sealed class PruningOverheadBenchmark : IBenchmark
{
    private const int BlockSteps = 100;
    private const int BatchSize = 64;

    public string Name => "pruning-overhead";

    public string Description => "Training step time with pruning masks vs without, interleaved in one run (goal: ratio <= 1.03).";

    public int Run(IReadOnlyList<string> args, CancellationToken cancellation)
    {
        var rounds = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;
        var (train, test) = Mnist.Load();
        using var trainData = train;
        test.Dispose();

        var schedule = new ConstantSparsity(0.8, beginStep: 0, frequency: BlockSteps);
        manual_seed(7);
        using var pruned = Model.FromSpec(SeedCnn.Pruned(new PruningSpec(schedule)));
        manual_seed(7);
        using var plain = Model.FromSpec(SeedCnn.Pruned(null));
        var pruner = new Pruner(pruned);
        var options = new FitOptions { BatchSize = BatchSize, MaxSteps = BlockSteps, Epochs = 1 };

        // Warm-up: first calls allocate and tune kernels.
        Block(plain, train, options, null, cancellation);
        Block(pruned, train, options, pruner, cancellation);

        var ratios = new List<double>();
        double plainTotal = 0, prunedTotal = 0;
        Console.WriteLine($"Load average before: {MnistPruneBenchmark.LoadAverage()}");
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which arm goes first so that neither always follows the other.
            double a, b;
            if (round % 2 == 0)
            {
                a = Block(plain, train, options with { Seed = round }, null, cancellation);
                b = Block(pruned, train, options with { Seed = round }, pruner, cancellation);
            }
            else
            {
                b = Block(pruned, train, options with { Seed = round }, pruner, cancellation);
                a = Block(plain, train, options with { Seed = round }, null, cancellation);
            }
            plainTotal += a;
            prunedTotal += b;
            ratios.Add(b / a);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: without {a / BlockSteps * 1000:F2} ms/step, with masks {b / BlockSteps * 1000:F2} ms/step, ratio {b / a:F3}"));
        }
        var maskWork = MaskWorkPerStep(pruner);
        ratios.Sort();
        var median = ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[(ratios.Count / 2) - 1] + ratios[ratios.Count / 2]) / 2;
        var steps = (double)rounds * BlockSteps;
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| step without masks (mean) | {plainTotal / steps * 1000:F2} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| step with masks (mean) | {prunedTotal / steps * 1000:F2} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ratio of totals | {prunedTotal / plainTotal:F3} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| median ratio of {rounds} interleaved rounds (goal <= 1.03) | {median:F3} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sparsity held by the masks | {pruner.CurrentSparsity:P1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| pruning work alone per step (mask update every {BlockSteps} steps + mask multiply), timed directly | {maskWork * 1000:F3} ms ({maskWork / (plainTotal / steps):P2} of a step) |"));
        Console.WriteLine($"Batch {BatchSize}, {BlockSteps} steps per block, {get_num_threads()} libtorch threads on {Environment.ProcessorCount} cores; load average after: {MnistPruneBenchmark.LoadAverage()}.");
        var ok = median <= 1.03;
        Console.WriteLine(ok ? "Goal met." : "GOAL MISSED.");
        return ok ? 0 : 1;
    }

    /// <summary>The pruner's own work per step, timed without training around it: noise-free, unlike the ratio.</summary>
    private static double MaskWorkPerStep(Pruner pruner)
    {
        const int Steps = 1000;
        var clock = Stopwatch.StartNew();
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            pruner.BeforeStep(step % BlockSteps);
            pruner.AfterOptimizerStep(step);
        }
        return clock.Elapsed.TotalSeconds / Steps;
    }

    private static double Block(Model model, Dataset train, FitOptions options, Pruner? pruner, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        Trainer.Fit(model, train, options, pruner, cancellationToken: cancellation);
        return clock.Elapsed.TotalSeconds;
    }
}
