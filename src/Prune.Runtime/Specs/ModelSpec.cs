using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>
/// A model: its input, its layers in the order they run, and its training settings. The generator writes one per
/// <see cref="ModelAttribute"/> class, as the static <c>ModelSpec</c> property of the generated module; every stage
/// (training, pruning, export, the report) reads it, never the attributes.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>The class name, e.g. <c>MnistCnn</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The namespace-qualified class name.</summary>
    public required string TypeName { get; init; }

    /// <summary>The shape of one input sample.</summary>
    public required TensorShape InputShape { get; init; }

    /// <summary>The layers, in the order they run.</summary>
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>How the model is trained and fine-tuned.</summary>
    public required TrainingSpec Training { get; init; }

    /// <summary>Where the class is declared.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>The pretrained weights the model starts from (<see cref="PretrainedAttribute"/>), or null to start from scratch.</summary>
    public PretrainedSpec? Pretrained { get; init; }

    /// <summary>The input normalization an image model declares (<see cref="NormalizeAttribute"/>), or null for pixel values / 255.</summary>
    public NormalizationSpec? Normalization { get; init; }

    /// <summary>The shape of one output sample.</summary>
    public TensorShape OutputShape => Layers[^1].OutputShape;

    /// <summary>Trainable parameters of all layers.</summary>
    public long ParameterCount => Layers.Sum(l => l.ParameterCount);

    /// <summary>Multiply-accumulates one sample costs, summed over the layers (<see cref="LayerSpec.MultiplyAccumulates"/>).</summary>
    public long MultiplyAccumulates => Layers.Sum(l => l.MultiplyAccumulates);

    /// <summary>The layers whose weights are pruned.</summary>
    public IEnumerable<LayerSpec> PrunedLayers => Layers.Where(l => l.Pruning is not null);

    /// <summary>How the layers connect: which outputs each layer reads.</summary>
    internal LayerGraph Graph => new([.. Layers.Select(l => new LayerReads(l.Name, l.Input, [.. l.OtherInputs]))]);

    /// <summary>How the model's outputs are read: probabilities or logits, of one or several classes.</summary>
    internal OutputReading Output => new(this);

    /// <summary>
    /// This model on another <paramref name="input"/>: each layer inferred again by the rules on what the layer it reads
    /// now outputs (an Add also on its shortcut's), with the output channels <paramref name="outputChannels"/> gives a
    /// layer by its index (a Conv2D's filters, a Dense layer's units), or its own when it gives null. Filter pruning's
    /// shrink builds the smaller model with it; a declared model moves to another image size with it.
    /// </summary>
    /// <exception cref="InvalidSpecException">A layer's settings do not fit its new input.</exception>
    internal ModelSpec Resized(TensorShape input, Func<int, int?> outputChannels)
    {
        var graph = Graph;
        var layers = new List<LayerSpec>(Layers.Count);
        TensorShape OutputOf(int layer) => layer == LayerGraph.ModelInput ? input : layers[layer].OutputShape;
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i] is AddSpec add ? add with { ShortcutShape = OutputOf(graph.InputsOf(i)[1]) } : Layers[i];
            layers.Add(layer.Resized(OutputOf(graph.InputOf(i)), outputChannels(i)));
        }
        return this with { InputShape = input, Layers = layers };
    }

    /// <summary>Throws for the first rule the spec breaks (<see cref="SpecValidation"/>).</summary>
    /// <exception cref="InvalidSpecException">The spec breaks a rule; the message names the layer and the rule.</exception>
    internal void Validate() => SpecValidation.ThrowIfInvalid(this);
}
