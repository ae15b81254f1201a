using Prune.Generators.Specs;
using Prune.Specs.Rules;

namespace Prune.Generators.Parsing;

/// <summary>
/// Follows the layer a BatchNorm would be folded into on export (the last one before it, layers that pass their input
/// through skipped, as the exporter sees them) and reports a BatchNorm that has nothing to fold into: a model that would
/// train but could never become a .tflite file is a compile error, not a build failure after training.
/// </summary>
internal sealed class FoldTarget
{
    private LayerSpec? _previous;
    private bool _known = true;

    /// <summary>Checks <paramref name="layer"/> (null when it failed to parse) and moves on past it.</summary>
    public void Check(LayerSpec? layer, DiagnosticList diagnostics)
    {
        if (layer is { FoldsIntoPrevious: true } && _known
            && LayerRules.FoldInto(layer.FieldName, _previous?.FieldName, _previous?.Kind ?? "", _previous?.HasWeight ?? false, _previous?.Activation ?? "None") is { } problem)
        {
            diagnostics.Add(problem, layer.Source);
        }
        if (layer is { IsIdentityAtInference: true }) return;
        // After a layer that did not parse, the previous layer is unknown: say nothing rather than guess.
        _known = layer is not null;
        _previous = layer;
    }
}
