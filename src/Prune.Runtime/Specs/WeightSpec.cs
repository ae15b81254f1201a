using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>
/// A layer's weight as every stage sees it: the tensor the layer holds, and the 2-D view pruning works on (rows are
/// outputs, columns what one output reads), the same for the spec and for the tensor the pruner masks.
/// </summary>
internal sealed record WeightSpec
{
    internal WeightSpec(long[] shape, bool hasBias)
    {
        Shape = shape;
        var view = new WeightView(shape);
        (Rows, Columns, InputChannels) = (view.Rows, view.Columns, view.InputChannels);
        HasBias = hasBias;
    }

    /// <summary>The tensor's shape, outputs first: [filters, in, kh, kw] (Conv2D), [in·multiplier, 1, kh, kw]
    /// (DepthwiseConv2D), [units, in] (Dense).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Outputs: the rows of the 2-D view, and the bias's length.</summary>
    public long Rows { get; }

    /// <summary>The weights one output reads (inputs · kernel height · kernel width): the columns of the 2-D view.</summary>
    public long Columns { get; }

    /// <summary>The input channels m:n groups run along: the tensor's dimension 1 (1 for a depthwise kernel).</summary>
    public long InputChannels { get; }

    /// <summary>Whether the layer adds a bias per output.</summary>
    public bool HasBias { get; }
}
