using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>The training settings a build really uses: the declared ones, with the build's epochs override applied.</summary>
internal static class EffectiveTraining
{
    public static TrainingSpec For(PipelineRequest request) => request.EpochsOverride is int epochs
        ? request.Spec.Training with { Epochs = epochs, FineTuneEpochs = epochs }
        : request.Spec.Training;
}
