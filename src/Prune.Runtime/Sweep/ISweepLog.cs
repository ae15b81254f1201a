using Prune.Pipeline;

namespace Prune.Sweep;

/// <summary>Where a sweep is: the baseline (point 0) or a target, in which phase, how many steps of how many.</summary>
/// <param name="Point">0 for the baseline, then 1 to <paramref name="Points"/>.</param>
/// <param name="Points">The targets in the sweep.</param>
/// <param name="Target">The point's target; null for the baseline.</param>
/// <param name="Phase"><c>training</c>, <c>fine-tuning</c> or <c>measuring</c>.</param>
/// <param name="Step">Steps done in the phase.</param>
/// <param name="Steps">Steps in the phase (0 when it has none: measuring).</param>
internal sealed record SweepStatus(int Point, int Points, double? Target, string Phase, long Step, long Steps);

/// <summary>A pipeline log that also hears where a sweep is and each point it finishes: the host turns both into protocol lines.</summary>
internal interface ISweepLog : IPipelineLog
{
    /// <summary>Where the sweep is, a few times a second at most.</summary>
    void Status(SweepStatus status);

    /// <summary>A point is done, succeeded or failed; the sweep's files include it already.</summary>
    void Finished(SweepPoint point);
}
