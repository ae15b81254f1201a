using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>Average pooling; with <see cref="Padding.Same"/> the padding is not counted (TensorFlow), with
/// <see cref="Padding.Symmetric"/> it is, as zeros (PyTorch's count_include_pad).</summary>
public sealed record AveragePool2DSpec : LayerSpec
{
    /// <summary>Window size.</summary>
    public required Size2D Pool { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <inheritdoc/>
    public override string Kind => "AveragePool2D";

    internal override LayerShape Infer() =>
        LayerRules.Pool2D(Name, Kind, InputDimensions, Pool.Height, Pool.Width, Stride.Height, Stride.Width, Padding.Rule());
}
