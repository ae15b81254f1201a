using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>A fully connected layer. Weight [units, inputs]; bias [units].</summary>
public sealed record DenseSpec : LayerSpec
{
    /// <summary>Output features.</summary>
    public required int Units { get; init; }
    /// <summary>Whether there is a bias.</summary>
    public required bool UseBias { get; init; }
    /// <inheritdoc/>
    public override string Kind => "Dense";

    private protected override bool UsesBias => UseBias;

    private protected override LayerSpec WithOutputChannels(int channels) => this with { Units = channels };

    internal override LayerShape Infer() => LayerRules.Dense(Name, InputDimensions, Units, UseBias);
}
