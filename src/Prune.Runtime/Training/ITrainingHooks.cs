namespace Prune.Training;

/// <summary>Code run around every training step: pruning plugs in here (<see cref="Pruning.Pruner"/>).</summary>
public interface ITrainingHooks
{
    /// <summary>Before the forward pass of <paramref name="step"/> (0-based, counted over the whole fit).</summary>
    void BeforeStep(long step);

    /// <summary>Right after the optimizer updated the weights at <paramref name="step"/>.</summary>
    void AfterOptimizerStep(long step);
}

/// <summary>Hooks that know how sparse the model currently is; the trainer shows it in its progress.</summary>
internal interface IReportsSparsity
{
    /// <summary>The fraction of pruned weights currently masked out.</summary>
    double CurrentSparsity { get; }
}
