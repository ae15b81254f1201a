using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>Batch normalization over the channel (first) dimension, Keras conventions; folded into the weight layer
/// before it on export, which then takes this layer's activation.</summary>
public sealed record BatchNormSpec : LayerSpec
{
    /// <summary>Weight of the old running statistics in each update.</summary>
    public required double Momentum { get; init; }
    /// <summary>Added to the variance.</summary>
    public required double Epsilon { get; init; }
    /// <inheritdoc/>
    public override string Kind => "BatchNorm";

    internal override bool FoldsIntoPrevious => true;

    internal override LayerShape Infer() => LayerRules.BatchNorm(Name, InputDimensions, Momentum, Epsilon);
}
