using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>Max pooling.</summary>
public sealed record MaxPool2DSpec : LayerSpec
{
    /// <summary>Window size.</summary>
    public required Size2D Pool { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <inheritdoc/>
    public override string Kind => "MaxPool2D";

    internal override LayerShape Infer() =>
        LayerRules.Pool2D(Name, Kind, InputDimensions, Pool.Height, Pool.Width, Stride.Height, Stride.Width, Padding.Rule());
}
