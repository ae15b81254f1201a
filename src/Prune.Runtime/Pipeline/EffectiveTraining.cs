using Prune.Specs;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>The training settings a build really uses: the declared ones, with the build's epochs override applied.</summary>
internal static class EffectiveTraining
{
    public static TrainingSpec For(PipelineRequest request) => request.EpochsOverride is int epochs
        ? request.Spec.Training with { Epochs = epochs, FineTuneEpochs = epochs }
        : request.Spec.Training;

    /// <summary>The trainer's options for the baseline.</summary>
    public static FitOptions Baseline(TrainingSpec training) => Options(training, training.LearningRate, training.Epochs, training.Seed);

    /// <summary>The trainer's options for fine-tuning: its own learning rate and epochs, and a different shuffle than the
    /// baseline's, as a second <c>model.fit</c> in Keras would have.</summary>
    public static FitOptions FineTune(TrainingSpec training) =>
        Options(training, training.FineTuneLearningRate, training.FineTuneEpochs, training.Seed + 1);

    private static FitOptions Options(TrainingSpec training, double learningRate, int epochs, int seed) => new()
    {
        Optimizer = training.Optimizer,
        LearningRate = learningRate,
        Momentum = training.Momentum,
        BatchSize = training.BatchSize,
        Epochs = epochs,
        Seed = seed,
    };
}
