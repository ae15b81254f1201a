using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>A depthwise convolution. Weight [in·multiplier, 1, kh, kw]; bias [in·multiplier].</summary>
public sealed record DepthwiseConv2DSpec : LayerSpec
{
    /// <summary>Output channels per input channel.</summary>
    public required int DepthMultiplier { get; init; }
    /// <summary>Kernel size.</summary>
    public required Size2D Kernel { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <summary>Whether there is a bias.</summary>
    public required bool UseBias { get; init; }
    /// <inheritdoc/>
    public override string Kind => "DepthwiseConv2D";

    private protected override bool UsesBias => UseBias;

    internal override LayerShape Infer() => LayerRules.DepthwiseConv2D(Name, InputDimensions, DepthMultiplier, Kernel.Height, Kernel.Width,
        Stride.Height, Stride.Width, Padding.Rule(), UseBias);
}
