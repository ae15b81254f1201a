using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>Turns a NaN or infinite loss into an error that says which model and phase, instead of a useless artifact.</summary>
internal static class Divergence
{
    public static void ThrowIfDiverged(ModelSpec spec, double loss, string phase)
    {
        if (double.IsFinite(loss)) return;
        throw new PipelineException(PipelineFailure.TrainingDiverged,
            $"{spec.Name} diverged during {phase}: the loss became {loss}. Lower the learning rate in [Training(...)] or check the data for extreme values.",
            spec.Source);
    }
}
