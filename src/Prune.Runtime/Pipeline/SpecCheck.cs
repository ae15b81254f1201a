using Prune.Specs;
using Prune.Specs.Rules;

namespace Prune.Pipeline;

/// <summary>
/// The model's spec, checked before anything else with the generator's rules (it can only break them when written by
/// hand): a pruning setting that does not fit is the pipeline's pruning failure, anything else an invalid spec; both
/// at the layer's declaration.
/// </summary>
internal static class SpecCheck
{
    public static void ThrowIfInvalid(ModelSpec spec)
    {
        try
        {
            spec.Validate();
        }
        catch (InvalidSpecException e)
        {
            var failure = e.Rule is Rule.SparsityOutOfRange or Rule.InvalidScheduleSteps or Rule.InvalidPower or Rule.PruneLayerWithoutWeights
                or Rule.PruneFoldedLayer or Rule.BlockDoesNotFit or Rule.MByNDoesNotFit
                ? PipelineFailure.InvalidPruningSettings
                : PipelineFailure.InvalidSpec;
            var layer = spec.Layers.FirstOrDefault(l => l.Name == e.LayerName);
            throw new PipelineException(failure, e.Message, layer?.Source ?? spec.Source, e);
        }
    }
}
