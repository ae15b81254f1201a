using Prune.Generators.Diagnostics;
using Prune.Generators.Model;

namespace Prune.Generators.Parsing;

/// <summary>
/// Follows the layer a BatchNorm would be folded into on export (the last one before it, Dropout skipped, as the
/// exporter sees them) and reports a BatchNorm that has nothing to fold into: a model that would train but could
/// never become a .tflite file is a compile error, not a build failure after training.
/// </summary>
internal sealed class FoldTarget
{
    private LayerDescription? _previous;
    private bool _known = true;

    /// <summary>Checks <paramref name="layer"/> (null when it failed to parse) and moves on past it.</summary>
    public void Check(LayerDescription? layer, DiagnosticList diagnostics)
    {
        if (layer is { Kind: LayerKind.BatchNorm } && _known && Describe(_previous) is { } problem)
            diagnostics.Add(DiagnosticDescriptors.BatchNormCannotFold, layer.Source, layer.FieldName, problem);
        if (layer is { Kind: LayerKind.Dropout }) return;
        // After a layer that did not parse, the previous layer is unknown: say nothing rather than guess.
        _known = layer is not null;
        _previous = layer;
    }

    /// <summary>Why <paramref name="previous"/> cannot take a BatchNorm, or null when it can.</summary>
    private static string? Describe(LayerDescription? previous) => previous switch
    {
        null => "nothing (it is the first layer)",
        { Kind: LayerKind.Conv2D or LayerKind.DepthwiseConv2D or LayerKind.Dense, Arguments.Activation: "None" } => null,
        { Kind: LayerKind.Conv2D or LayerKind.DepthwiseConv2D or LayerKind.Dense } =>
            "'" + previous.FieldName + "', which has activation " + previous.Arguments.Activation,
        _ => "'" + previous.FieldName + "', a " + previous.Kind + " layer",
    };
}
