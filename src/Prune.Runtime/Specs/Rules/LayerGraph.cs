namespace Prune.Specs.Rules;

/// <summary>What one layer reads, by name: its <paramref name="Input"/> (null for the layer declared before it) and the
/// <paramref name="OtherInputs"/> (an Add's shortcut). The generator and the runtime both describe their layers so.</summary>
internal sealed record LayerReads(string Name, string? Input, IReadOnlyList<string> OtherInputs);

/// <summary>
/// How a model's layers connect: for each layer, the layers whose outputs it reads (its input first, then an Add's
/// shortcut), by index; <see cref="ModelInput"/> for the model's input. A plain sequence reads the layer before
/// each layer. Running the model, calibrating, lowering for export and finding channel dependencies all walk it; the
/// generator walks the same graph to check, at compile time, the rules that depend on the connections.
/// </summary>
internal sealed class LayerGraph
{
    /// <summary>The index that stands for the model's input.</summary>
    public const int ModelInput = -1;

    private readonly int[][] _inputs;
    private readonly List<int>[] _readers;

    /// <summary>The graph of layers whose names resolve: each reads only layers declared before it (the runtime's
    /// SpecValidation and the generator check that they do).</summary>
    public LayerGraph(IReadOnlyList<LayerReads> layers)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        _inputs = new int[layers.Count][];
        _readers = Enumerable.Range(0, layers.Count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var input = layer.Input is { } name ? Find(name) : i - 1;
            _inputs[i] = [input, .. layer.OtherInputs.Select(Find)];
            foreach (var source in _inputs[i].Where(s => s != ModelInput)) _readers[source].Add(i);
            if (!index.ContainsKey(layer.Name)) index.Add(layer.Name, i);

            int Find(string name) => index.TryGetValue(name, out var found) ? found
                : throw new InvalidOperationException($"Layer {layer.Name} reads '{name}', which is not a layer before it: validate the spec first.");
        }
    }

    /// <summary>The layers (or <see cref="ModelInput"/>) whose outputs layer <paramref name="layer"/> reads: its input first.</summary>
    public IReadOnlyList<int> InputsOf(int layer) => _inputs[layer];

    /// <summary>The layer (or <see cref="ModelInput"/>) whose output is layer <paramref name="layer"/>'s input.</summary>
    public int InputOf(int layer) => _inputs[layer][0];

    /// <summary>The later layers that read layer <paramref name="layer"/>'s output, in order.</summary>
    public IReadOnlyList<int> ReadersOf(int layer) => _readers[layer];

    /// <summary>The layers that read layer <paramref name="layer"/>'s output through layers that pass it on unchanged
    /// (<paramref name="passesInputOn"/>: a Dropout without an activation, at inference), which are not themselves counted.</summary>
    public List<int> ReadersThrough(int layer, Func<int, bool> passesInputOn)
    {
        var readers = new List<int>();
        foreach (var reader in ReadersOf(layer))
        {
            if (passesInputOn(reader)) readers.AddRange(ReadersThrough(reader, passesInputOn));
            else readers.Add(reader);
        }
        return readers;
    }

    /// <summary>The layer (or <see cref="ModelInput"/>) whose output layer <paramref name="layer"/>'s output is, back through
    /// layers that pass their input on unchanged.</summary>
    public int SourceThrough(int layer, Func<int, bool> passesInputOn)
    {
        while (layer != ModelInput && passesInputOn(layer)) layer = InputOf(layer);
        return layer;
    }
}
