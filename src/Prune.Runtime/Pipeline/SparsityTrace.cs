using Prune.Pruning;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>One mask update of fine-tuning, as it ran.</summary>
/// <param name="Step">The fine-tuning step (from 0) whose masks were recomputed.</param>
/// <param name="Target">The sparsity the schedules asked for then, over all pruned weights.</param>
/// <param name="Achieved">The fraction of pruned weights the new masks zero.</param>
internal sealed record SparsityStep(long Step, double Target, double Achieved);

/// <summary>
/// The pruner's hooks, recording every mask update: what the schedules asked for and what the masks reached. The
/// report's schedule chart and its JSON are these rows. The target weighs each pruned layer by its weights: a layer
/// before its schedule's begin step asks for nothing (0); an m:n layer asks for 1 − m/n, whatever its schedule says.
/// </summary>
internal sealed class SparsityTrace(Pruner pruner) : ITrainingHooks, IReportsSparsity
{
    private readonly List<SparsityStep> _steps = [];

    public IReadOnlyList<SparsityStep> Steps => _steps;

    public double CurrentSparsity => pruner.CurrentSparsity;

    public void BeforeStep(long step)
    {
        pruner.BeforeStep(step);
        if (pruner.LastUpdateStep == step) _steps.Add(new SparsityStep(step, Target(step), pruner.CurrentSparsity));
    }

    public void AfterOptimizerStep(long step) => pruner.AfterOptimizerStep(step);

    private double Target(long step)
    {
        double wanted = 0, total = 0;
        foreach (var layer in pruner.Layers)
        {
            var weights = layer.Weight.numel();
            total += weights;
            wanted += weights * layer.Spec.Pruning!.SparsityAt(step);
        }
        return total == 0 ? 0 : wanted / total;
    }
}
