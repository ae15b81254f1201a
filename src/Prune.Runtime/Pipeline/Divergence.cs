using Prune.Specs;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>Turns a NaN or infinite loss into an error that says which model and phase, instead of a useless artifact.</summary>
internal static class Divergence
{
    /// <summary>Runs a training phase, turning the trainer's divergence (it checks every step's loss) into the pipeline's error.</summary>
    public static FitResult Guard(ModelSpec spec, string phase, Func<FitResult> fit)
    {
        try
        {
            return fit();
        }
        catch (TrainingDivergedException e)
        {
            throw Diverged(spec, phase, e.Message, e);
        }
    }

    public static void ThrowIfDiverged(ModelSpec spec, double loss, string phase)
    {
        if (!double.IsFinite(loss)) throw Diverged(spec, phase, $"the loss became {loss}.", null);
    }

    private static PipelineException Diverged(ModelSpec spec, string phase, string detail, Exception? inner) =>
        new(PipelineFailure.TrainingDiverged,
            $"{spec.Name} diverged during {phase}: {detail} Lower the learning rate in [Training(...)] or check the data for extreme values.",
            spec.Source, inner);
}
