using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>Dropout while training; identity otherwise.</summary>
public sealed record DropoutSpec : LayerSpec
{
    /// <summary>Fraction dropped.</summary>
    public required double Rate { get; init; }
    /// <inheritdoc/>
    public override string Kind => "Dropout";

    internal override bool IsIdentityAtInference => true;

    internal override LayerShape Infer() => LayerRules.Dropout(Name, InputDimensions, Rate);
}
