namespace Prune.Specs;

/// <summary>
/// How a model's layers connect: for each layer, the layers whose outputs it reads (its input first, then an Add's
/// shortcut), by index; <see cref="ModelInput"/> for the model's input. A plain sequence reads the layer before
/// each layer. Running the model, calibrating, lowering for export and finding channel dependencies all walk it.
/// </summary>
internal sealed class LayerGraph
{
    /// <summary>The index that stands for the model's input.</summary>
    public const int ModelInput = -1;

    private readonly int[][] _inputs;
    private readonly List<int>[] _readers;

    /// <summary>The graph of a spec whose names resolve (<see cref="SpecValidation"/> checks that they do).</summary>
    public LayerGraph(ModelSpec spec)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        _inputs = new int[spec.Layers.Count][];
        _readers = Enumerable.Range(0, spec.Layers.Count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var input = layer.Input is { } name ? Find(name) : i - 1;
            _inputs[i] = [input, .. layer.OtherInputs.Select(Find)];
            foreach (var source in _inputs[i].Where(s => s != ModelInput)) _readers[source].Add(i);
            index.TryAdd(layer.Name, i);

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
}
