using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>[C, H, W] to [C·H·W], channel-major (TorchSharp's order); a vector stays as it is.</summary>
public sealed record FlattenSpec : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "Flatten";

    internal override bool IsIdentityAtInference => InputShape.Rank == 1;

    internal override LayerShape Infer() => LayerRules.Flatten(Name, InputDimensions);
}
