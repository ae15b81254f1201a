using System.Diagnostics;
using Prune.Pruning;
using Prune.Specs;
using Prune.Training;
using TorchSharp;

namespace Prune.Pipeline;

/// <summary>What fine-tuning did.</summary>
/// <param name="Epochs">Epochs of fine-tuning (0 when no layer is pruned).</param>
/// <param name="Steps">Optimizer steps: the clock the pruning schedules run on.</param>
/// <param name="LearningRate">The fine-tuning learning rate.</param>
/// <param name="Duration">Time spent.</param>
internal sealed record FineTuneResult(int Epochs, long Steps, double LearningRate, TimeSpan Duration)
{
    /// <summary>Training loss and accuracy per epoch.</summary>
    public IReadOnlyList<EpochSummary> History { get; init; } = [];

    /// <summary>Every mask update: the sparsity asked for and reached.</summary>
    public IReadOnlyList<SparsityStep> Schedule { get; init; } = [];
}

/// <summary>
/// Prunes while fine-tuning (tfmot's <c>prune_low_magnitude</c> + <c>UpdatePruningStep</c>): the pruner's hooks update
/// each layer's mask on its schedule's steps and re-apply it after every optimizer step.
/// </summary>
internal static class FineTuning
{
    public static FineTuneResult Run(Model model, ModelData data, TrainingSpec training, DeviceType device, IPipelineLog log,
        CancellationToken cancellation)
    {
        var spec = model.Spec;
        if (!spec.PrunedLayers.Any())
        {
            log.Progress($"{spec.Name}: no layer is marked [Prune]; skipping fine-tuning");
            return new FineTuneResult(0, 0, training.FineTuneLearningRate, TimeSpan.Zero);
        }
        var stepsPerEpoch = (data.Train.Count + training.BatchSize - 1) / training.BatchSize;
        var steps = stepsPerEpoch * training.FineTuneEpochs;
        WarnAboutUnfinishedSchedules(spec, steps, log);

        var trace = new SparsityTrace(new Pruner(model));
        log.Progress($"{spec.Name}: pruning while fine-tuning ({training.FineTuneEpochs} epochs, {steps:N0} steps)");
        return Fit(model, data, training, device, trace, $"{spec.Name} pruning", log, cancellation) with { Schedule = trace.Steps };
    }

    /// <summary>
    /// The same fine-tuning with no masks (epochs, learning rate, batches and shuffle as <see cref="Run"/>'s): the
    /// unpruned model a pruned one is fairly compared with, having trained exactly as long.
    /// </summary>
    public static FineTuneResult WithoutPruning(Model model, ModelData data, TrainingSpec training, DeviceType device, IPipelineLog log,
        CancellationToken cancellation)
    {
        log.Progress($"{model.Spec.Name}: fine-tuning without pruning ({training.FineTuneEpochs} epochs)");
        return Fit(model, data, training, device, hooks: null, $"{model.Spec.Name} fine-tuning", log, cancellation);
    }

    private static FineTuneResult Fit(Model model, ModelData data, TrainingSpec training, DeviceType device, ITrainingHooks? hooks,
        string label, IPipelineLog log, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        // A different shuffle than the baseline's, as a second model.fit in Keras would have.
        var options = FitOptions.FineTune(training) with { Seed = training.Seed + 1, Device = device };
        var fit = Divergence.Guard(model.Spec, "fine-tuning",
            () => Trainer.Fit(model, data.Train, options, hooks, new EpochProgress(log, label), cancellation));
        BatchNormStatistics.Reestimate(model, data.Train, options, kept: [], log);
        return new FineTuneResult(training.FineTuneEpochs, fit.Steps, training.FineTuneLearningRate, clock.Elapsed) { History = fit.Epochs };
    }

    /// <summary>The sparsity of the last mask update within <paramref name="steps"/> steps (masks change only on update steps).</summary>
    private static double ReachedSparsity(PruningSchedule schedule, long steps)
    {
        for (var step = steps - 1; step >= schedule.BeginStep; step--)
            if (schedule.At(step).UpdateMask) return schedule.SparsityAt(step);
        return 0;
    }

    /// <summary>A schedule that ends after fine-tuning does never reaches its final sparsity; say so where it is declared.</summary>
    private static void WarnAboutUnfinishedSchedules(ModelSpec spec, long steps, IPipelineLog log)
    {
        foreach (var layer in spec.PrunedLayers)
        {
            var schedule = layer.Pruning!.Schedule;
            var lastUpdate = schedule.EndStep >= 0 ? schedule.EndStep : schedule.BeginStep;
            if (lastUpdate < steps) continue;
            log.Warning(PipelineWarning.ScheduleNotCompleted,
                $"Layer {layer.Name}'s schedule ({schedule}) updates its mask until step {lastUpdate}, but fine-tuning runs {steps:N0} steps: it ends at {ReachedSparsity(schedule, steps):P1} sparsity instead of {schedule.FinalSparsity:P1}. Add fine-tuning epochs or end the schedule earlier.",
                layer.Source);
        }
    }
}
