using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>Per-channel mean over height and width.</summary>
public sealed record GlobalAveragePool2DSpec : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "GlobalAveragePool2D";

    internal override LayerShape Infer() => LayerRules.GlobalAveragePool2D(Name, InputDimensions);
}
