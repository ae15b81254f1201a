using Prune.Generators.Specs;
using Prune.Specs.Rules;

namespace Prune.Generators.Parsing;

/// <summary>
/// Follows the layer a BatchNorm would be folded into on export (the layer it reads, through layers that pass their
/// input through, as the exporter sees them) and reports a BatchNorm that has nothing to fold into, or whose layer's
/// output another layer also reads: a model that would train but could never become a .tflite file is a compile error,
/// not a build failure.
/// </summary>
internal sealed class FoldTarget
{
    /// <summary>For each layer, the layer that computes its output at inference (itself, or for a Dropout the layer
    /// behind it); Known is false after a layer that did not parse.</summary>
    private readonly Dictionary<string, (bool Known, LayerSpec? Computed)> _computedBy = new(StringComparer.Ordinal);

    /// <summary>The BatchNorms already reported as having nothing to fold into.</summary>
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);

    /// <summary>Checks layer <paramref name="name"/> (<paramref name="layer"/> null when it failed to parse), which reads
    /// <paramref name="source"/> (null when that is unknown).</summary>
    public void Check(string name, LayerSpec? layer, Source? source, DiagnosticList diagnostics)
    {
        var (known, target) = source is not { } read ? (false, null)
            : read.Layer is null ? (true, (LayerSpec?)null)
            : _computedBy.TryGetValue(read.Layer, out var found) ? found : (false, null);
        if (layer is { FoldsIntoPrevious: true } && known
            && LayerRules.FoldInto(layer.Name, target?.Name, target?.Kind ?? "", target?.HasWeight ?? false, target?.Activation ?? "None") is { } problem)
        {
            diagnostics.Add(problem, layer.Source);
            _refused.Add(name);
        }
        // After a layer that did not parse, what it reads is unknown: say nothing rather than guess.
        _computedBy[name] = layer is null ? (false, null) : layer.IsIdentityAtInference ? (known, target) : (true, layer);
    }

    /// <summary>Once every layer has parsed (who reads an output is known only then): the layer a BatchNorm folds into
    /// must have no other reader, since folding removes its output from the exported file.</summary>
    public void CheckReaders(IReadOnlyList<LayerSpec> layers, LayerGraph graph, DiagnosticList diagnostics)
    {
        var names = layers.Select(l => l.Name).ToList();
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].FoldsIntoPrevious && !_refused.Contains(layers[i].Name))
                diagnostics.AddAll([LayerRules.FoldedOutputReadElsewhere(i, graph, names, PassesInputOn)], layers[i].Source);
        }

        bool PassesInputOn(int layer) => layers[layer].IsIdentityAtInference && layers[layer].Activation == "None";
    }
}
