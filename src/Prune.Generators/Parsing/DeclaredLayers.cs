using Prune.Generators.Specs;
using Prune.Specs.Rules;
using static System.FormattableString;

namespace Prune.Generators.Parsing;

/// <summary>The output a layer reads: a layer's (by name), or the model's input (<see cref="Layer"/> null).</summary>
/// <param name="Layer">The layer read, or null for the model's input.</param>
/// <param name="Shape">Its output shape, or null when it is unknown (it did not parse).</param>
/// <param name="Named">Whether the declaration named it (<c>Input = nameof(x)</c>) rather than reading the layer before it.</param>
internal readonly record struct Source(string? Layer, EquatableArray<int>? Shape, bool Named);

/// <summary>
/// The layers declared so far, in order, as the parser meets them: each one's output shape (unknown after an error),
/// the names a later layer may read (layers, and block fields standing for their block's output layer), and which
/// outputs have been read. It resolves what a layer reads (PRUNE034 for a name that is no earlier layer) and, at the
/// end, finds the outputs nobody reads (PRUNE035).
/// </summary>
internal sealed class DeclaredLayers(EquatableArray<int>? modelInput)
{
    private readonly Dictionary<string, (string Layer, EquatableArray<int>? Shape)> _names = new(StringComparer.Ordinal);
    private readonly List<(string Layer, SourceSpot Where)> _layers = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private bool _allReadsResolved = true;

    /// <summary>The last layer declared, which a layer without an Input reads; null before the first.</summary>
    public string? Last => _layers.Count == 0 ? null : _layers[_layers.Count - 1].Layer;

    /// <summary>
    /// What <paramref name="layer"/> reads as its <paramref name="what"/> ("input", "shortcut"): the layer or block field
    /// <paramref name="name"/>, or, when it is null, the layer declared last (the model's input before the first layer).
    /// Null, and PRUNE034 at <paramref name="where"/>, when the name is no earlier layer.
    /// </summary>
    public Source? Read(string layer, string what, string? name, SourceSpot where, DiagnosticList diagnostics)
    {
        if (name is null)
        {
            if (Last is not { } last) return new Source(null, modelInput, false);
            _read.Add(last);
            return new Source(last, _names[last].Shape, false);
        }
        if (ModelRules.ReadsEarlierLayer(layer, what, name, _names.Keys) is { } unknown)
        {
            diagnostics.Add(unknown, where);
            _allReadsResolved = false;
            return null;
        }
        var found = _names[name];
        _read.Add(found.Layer);
        return new Source(found.Layer, found.Shape, true);
    }

    /// <summary>Records a layer and its output shape (null when it did not parse); false, with PRUNE009, when a layer of that name exists.</summary>
    public bool Declare(string layer, EquatableArray<int>? shape, SourceSpot where, DiagnosticList diagnostics)
    {
        if (_names.ContainsKey(layer))
        {
            diagnostics.Add(new Problem(Rule.InvalidLayerArgument, Invariant(
                $"Layer '{layer}': the model already has a layer of this name (a block names its layers after its field, e.g. 'layer1_0_conv1'); rename the field")), where);
            return false;
        }
        _names.Add(layer, (layer, shape));
        _layers.Add((layer, where));
        return true;
    }

    /// <summary>Lets later layers read a block by its field's name: they read <paramref name="layer"/>, the block's output.</summary>
    public void Alias(string field, string layer) => _names[field] = _names[layer];

    /// <summary>The layers, other than the last, whose output no layer reads (PRUNE035), in order. None while some
    /// name did not resolve: that mistake (PRUNE034) is the one to fix, and what it meant to read is unknown.</summary>
    public IEnumerable<(string Layer, SourceSpot Where)> Unread() => !_allReadsResolved ? []
        : _layers.Take(_layers.Count - 1).Where(l => !_read.Contains(l.Layer));
}
