using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>A 2-D convolution. Weight [filters, in, kh, kw]; bias [filters].</summary>
public sealed record Conv2DSpec : LayerSpec
{
    /// <summary>Output channels.</summary>
    public required int Filters { get; init; }
    /// <summary>Kernel size.</summary>
    public required Size2D Kernel { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <summary>Whether there is a bias.</summary>
    public required bool UseBias { get; init; }
    /// <inheritdoc/>
    public override string Kind => "Conv2D";

    private protected override bool UsesBias => UseBias;

    private protected override LayerSpec WithOutputChannels(int channels) => this with { Filters = channels };

    internal override LayerShape Infer() => LayerRules.Conv2D(Name, InputDimensions, Filters, Kernel.Height, Kernel.Width, Stride.Height, Stride.Width,
        Padding.Rule(), UseBias);
}
