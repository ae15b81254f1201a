namespace Prune.Specs.Rules;

/// <summary>
/// What a layer's settings give on its input: its output shape, its parameter count and its weight's shape; or the
/// rules its settings break. <see cref="Output"/> is null when a rule is broken or the input is unknown (after an
/// earlier layer that did not fit).
/// </summary>
internal sealed class LayerShape
{
    private LayerShape(IReadOnlyList<Problem> problems, int[]? output, long parameters, long[]? weight)
    {
        Problems = problems;
        Output = output;
        Parameters = parameters;
        Weight = weight;
    }

    /// <summary>The rules broken; empty when the settings fit the input.</summary>
    public IReadOnlyList<Problem> Problems { get; }

    /// <summary>The shape of one output sample.</summary>
    public int[]? Output { get; }

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; }

    /// <summary>The weight tensor's shape, outputs first ([out, in, kh, kw] or [out, in]); null for a layer without one.</summary>
    public long[]? Weight { get; }

    public static LayerShape Of(int[] output, long parameters, long[]? weight = null) => new([], output, parameters, weight);

    /// <summary>The problems found, or none when the input is unknown and the settings alone are fine.</summary>
    public static LayerShape Unknown(IReadOnlyList<Problem> problems) => new(problems, null, 0, null);

    public static LayerShape Broken(Problem problem) => new([problem], null, 0, null);
}

/// <summary>
/// The 2-D view of a weight that pruning works on: rows are outputs, columns what one output reads (inputs · kernel
/// height · kernel width; a depthwise kernel reads one input channel), and the input channels m:n groups run along
/// (the weight's dimension 1). The same for the spec's weight and for the tensor the pruner masks.
/// </summary>
internal readonly struct WeightView
{
    public WeightView(IReadOnlyList<long> shape)
    {
        Rows = shape[0];
        Columns = shape.Skip(1).Aggregate(1L, (product, d) => product * d);
        InputChannels = shape.Count > 1 ? shape[1] : 1;
    }

    public long Rows { get; }

    public long Columns { get; }

    public long InputChannels { get; }
}
