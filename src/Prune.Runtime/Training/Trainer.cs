using System.Diagnostics;
using System.Runtime.InteropServices;
using Prune.Data;
using static TorchSharp.torch;

namespace Prune.Training;

/// <summary>
/// Trains, evaluates and runs models. One dispose scope per batch keeps memory flat; a seed fixes initialization
/// order, dropout and shuffling, so two fits with the same seed from the same weights end with the same weights.
/// </summary>
public static class Trainer
{
    /// <summary>The environment variable that sets libtorch's thread count (default: one per core).</summary>
    public const string ThreadsVariable = "PRUNE_TORCH_THREADS";

    private static int s_threadsConfigured;

    /// <summary>
    /// The number of threads libtorch trains with, configured first if no fit has done so yet. Results depend on it
    /// (reductions split differently), so the baseline cache is keyed by it.
    /// </summary>
    internal static int Threads
    {
        get
        {
            ConfigureThreads();
            return get_num_threads();
        }
    }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>, reshuffled each epoch. Hooks run around every
    /// step (steps counted from 0 over the whole fit); cancellation is checked between steps and throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public static FitResult Fit(Model model, Dataset train, FitOptions options, ITrainingHooks? hooks = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0) throw new ArgumentException("The training data is empty.", nameof(train));
        ConfigureThreads();
        var loss = LossFunction.For(model.Spec);
        loss.CheckLabels(train.Labels, "Training data");
        var watch = new LossWatch(loss.GuessingLoss);

        manual_seed(options.Seed);
        var random = new Random(options.Seed);
        // Moved before the optimizer is created: it holds the parameters it steps, and moving replaces them.
        using var onDevice = TrainingDevice.Train(model, options.Device);
        using var optimizer = CreateOptimizer(model, options);
        var batchesPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var plannedSteps = Math.Min(batchesPerEpoch * options.Epochs, options.MaxSteps ?? long.MaxValue);
        var epochs = new List<EpochSummary>();
        var clock = Stopwatch.StartNew();
        long step = 0;

        model.train();
        var frozen = model.Layers.Where(l => options.FrozenLayers.Contains(l.Spec.Name)).ToArray();
        try
        {
            for (var epoch = 1; epoch <= options.Epochs && step < plannedSteps; epoch++)
            {
                Freeze(frozen, epoch <= options.FreezeEpochs);
                using var order = tensor(Shuffle.Permutation(train.Count, random));
                double lossSum = 0;
                long correct = 0, seen = 0;
                for (long start = 0; start < train.Count && step < plannedSteps; start += options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var size = Math.Min(options.BatchSize, train.Count - start);
                    var indices = order.narrow(0, start, size);
                    var x = train.Features.index_select(0, indices).to(options.Device);
                    var y = train.Labels.index_select(0, indices).to(options.Device);

                    hooks?.BeforeStep(step);
                    optimizer.zero_grad();
                    var output = model.call(x);
                    var batchLoss = LossOf(loss, output, y, step);
                    batchLoss.backward();
                    optimizer.step();
                    hooks?.AfterOptimizerStep(step);
                    step++;

                    var stepLoss = batchLoss.item<float>();
                    watch.Check(step - 1, stepLoss);
                    lossSum += stepLoss * size;
                    correct += loss.Correct(output.detach(), y);
                    seen += size;
                    progress?.Report(Snapshot(epoch, options.Epochs, step, plannedSteps, lossSum / seen, (double)correct / seen, hooks, clock.Elapsed));
                }
                epochs.Add(new EpochSummary(epoch, lossSum / seen, (double)correct / seen));
            }
        }
        finally
        {
            Freeze(frozen, false);
        }
        return new FitResult(step, epochs, clock.Elapsed);
    }

    /// <summary>Freezes <paramref name="layers"/> (no gradients; evaluation mode, so BatchNorm keeps its statistics) or thaws them.</summary>
    private static void Freeze(IEnumerable<Layer> layers, bool frozen)
    {
        foreach (var layer in layers)
        {
            foreach (var parameter in layer.parameters()) parameter.requires_grad = !frozen;
            layer.train(!frozen);
        }
    }

    /// <summary>Mean loss and accuracy of <paramref name="model"/> on <paramref name="data"/>, in evaluation mode without gradients.</summary>
    public static Evaluation Evaluate(Model model, Dataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var loss = LossFunction.For(model.Spec);
        loss.CheckLabels(data.Labels, "Evaluation data");
        double lossSum = 0;
        long correct = 0;
        InEvaluationMode(model, () =>
        {
            for (long start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var size = Math.Min(batchSize, data.Count - start);
                var y = data.Labels.narrow(0, start, size);
                var output = model.call(data.Features.narrow(0, start, size));
                lossSum += loss.Loss(output, y).item<float>() * size;
                correct += loss.Correct(output, y);
            }
        });
        return data.Count == 0 ? new Evaluation(double.NaN, double.NaN, 0) : new Evaluation(lossSum / data.Count, (double)correct / data.Count, data.Count);
    }

    /// <summary>The model's outputs for <paramref name="inputs"/> (sample index first), in evaluation mode without gradients.</summary>
    public static Tensor Predict(Model model, Tensor inputs, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (inputs.dim() == 0 || inputs.shape[0] == 0) throw new ArgumentException("There are no samples to predict.", nameof(inputs));
        var parts = new List<Tensor>();
        try
        {
            InEvaluationMode(model, () =>
            {
                for (long start = 0; start < inputs.shape[0]; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    var size = Math.Min(batchSize, inputs.shape[0] - start);
                    parts.Add(model.call(inputs.narrow(0, start, size)).MoveToOuterDisposeScope());
                }
            });
            return parts.Count == 1 ? parts[0].alias() : cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    /// <summary>
    /// The batch's loss. Diverged outputs are NaN, which binary cross-entropy rejects with a native error: that error
    /// is named as the divergence it is. The outputs are checked only then, so a healthy step pays nothing for it.
    /// </summary>
    private static Tensor LossOf(LossFunction loss, Tensor output, Tensor labels, long step)
    {
        try
        {
            return loss.Loss(output, labels);
        }
        catch (ExternalException) when (!output.isfinite().all().item<bool>())
        {
            throw new TrainingDivergedException(step, "the model's outputs are not finite");
        }
    }

    private static void InEvaluationMode(Model model, Action run)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            run();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }

    private static optim.Optimizer CreateOptimizer(Model model, FitOptions options) => options.Optimizer switch
    {
        Optimizer.Adam => optim.Adam(model.parameters(), options.LearningRate),
        Optimizer.Sgd => optim.SGD(model.parameters(), options.LearningRate, options.Momentum),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "Unknown optimizer."),
    };

    private static TrainingProgress Snapshot(int epoch, int epochs, long step, long steps, double loss, double accuracy,
        ITrainingHooks? hooks, TimeSpan elapsed)
    {
        var remaining = TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)(steps - step) / step)));
        return new TrainingProgress(epoch, epochs, step, steps, loss, accuracy, (hooks as IReportsSparsity)?.CurrentSparsity, elapsed, remaining);
    }

    private static void ConfigureThreads()
    {
        // Once per process: every core, which on an idle CPU-only machine is what libtorch does best with; on a
        // machine shared with other work, fewer threads avoid libtorch's threads waiting on each other.
        if (Interlocked.Exchange(ref s_threadsConfigured, 1) != 0) return;
        var configured = Environment.GetEnvironmentVariable(ThreadsVariable);
        var threads = int.TryParse(configured, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : Environment.ProcessorCount;
        set_num_threads(threads);
    }
}
