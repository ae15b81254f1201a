using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>
/// One layer: what it is declared as (its settings, shapes and pruning) and the facts every stage reads from it (its
/// activation, its weight, its cost), so that training, pruning, calibration and export never ask which kind of layer
/// it is. The generator writes these; <see cref="Model.FromSpec"/> checks one written by hand with the generator's
/// rules. Shapes exclude the batch dimension.
/// </summary>
public abstract record LayerSpec
{
    /// <summary>The layer's name: the field that declares it.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// The name of the layer whose output this layer reads, or null for the layer declared right before it (the
    /// model's input for the first layer). Naming an earlier layer starts a branch: a residual block's projection
    /// reads the block's input, and an <see cref="AddSpec"/> joins the branches again.
    /// </summary>
    public string? Input { get; init; }

    /// <summary>The shape of one input sample.</summary>
    public required TensorShape InputShape { get; init; }

    /// <summary>The shape of one output sample.</summary>
    public required TensorShape OutputShape { get; init; }

    /// <summary>Trainable parameters (weights and biases; BatchNorm's scale and offset).</summary>
    public required long ParameterCount { get; init; }

    /// <summary>
    /// The function applied to what the layer computes; <see cref="Activation.None"/> for none. Training, the int8
    /// calibration and both exporters apply it alike (fused into the exported op where the format allows); on the last
    /// layer it says whether the model outputs probabilities or logits.
    /// </summary>
    public Activation Activation { get; init; }

    /// <summary>How the layer's weights are pruned, or null when they are not.</summary>
    public PruningSpec? Pruning { get; init; }

    /// <summary>Where the layer is declared.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>The attribute's name without its suffix, e.g. <c>Conv2D</c>; the layer module is <c>Prune.Layers.Conv2DLayer</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The layer's weight (what pruning masks), or null when it has none.</summary>
    internal WeightSpec? Weight => Infer().Weight is { } shape ? new WeightSpec(shape, UsesBias) : null;

    /// <summary>Multiply-accumulates one sample costs: every output value of a weight layer reads <see cref="WeightSpec.Columns"/>
    /// weights; 0 for layers without a weight (a BatchNorm is folded into the layer before it on export).</summary>
    public long MultiplyAccumulates => Weight is { } weight ? OutputShape.ElementCount * weight.Columns : 0;

    /// <summary>Whether the layer passes its input through unchanged at inference (Dropout): export leaves it out, and a
    /// BatchNorm after it folds into the layer before it.</summary>
    internal virtual bool IsIdentityAtInference => false;

    /// <summary>Whether export folds the layer into the weight layer before it (BatchNorm), which then computes its output.</summary>
    internal virtual bool FoldsIntoPrevious => false;

    /// <summary>The names of the layers this one reads besides its <see cref="Input"/> (an Add's shortcut).</summary>
    internal virtual IEnumerable<string> OtherInputs => [];

    /// <summary>Whether a weight layer adds a bias per output.</summary>
    private protected virtual bool UsesBias => false;

    /// <summary>What the layer's settings give on <see cref="InputShape"/>, by the rules the generator infers shapes with:
    /// the output shape and parameter count it must declare, its weight, or the rules its settings break.</summary>
    internal abstract LayerShape Infer();

    /// <summary>
    /// This layer on another input and, when <paramref name="outputChannels"/> is given, with that many output channels
    /// (a Conv2D's filters, a Dense layer's units): its output shape and parameters inferred again by the rules. Filter
    /// pruning's strip builds the smaller model's specs with it.
    /// </summary>
    /// <exception cref="InvalidSpecException">The settings do not fit the new input.</exception>
    internal LayerSpec Resized(TensorShape input, int? outputChannels = null)
    {
        var moved = (outputChannels is { } channels ? WithOutputChannels(channels) : this) with { InputShape = input };
        var shape = moved.Infer();
        if (shape.Output is not { } output)
        {
            InvalidSpecException.ThrowIfAny(shape.Problems);
            throw new InvalidOperationException($"Layer {Name}: no output shape on the input {input}.");
        }
        return moved with { OutputShape = new TensorShape(output), ParameterCount = shape.Parameters };
    }

    /// <summary>This layer with <paramref name="channels"/> output channels; only layers that choose their outputs have them.</summary>
    private protected virtual LayerSpec WithOutputChannels(int channels) =>
        throw new InvalidOperationException($"Layer {Name}: a {Kind} layer's output channels follow its input; they cannot be set.");

    /// <summary>The input as the rules take it.</summary>
    private protected int[] InputDimensions => [.. InputShape];
}
