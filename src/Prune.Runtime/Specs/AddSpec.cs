using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>
/// Adds the output of an earlier layer, the <see cref="Shortcut"/>, to its input, element by element: the join of a
/// residual block. Both have one shape; the activation (a ResNet's ReLU) applies to the sum.
/// </summary>
public sealed record AddSpec : LayerSpec
{
    /// <summary>The name of the layer whose output is added to the input.</summary>
    public required string Shortcut { get; init; }

    /// <summary>The shape of the shortcut's output: the same as the input, or the spec breaks a rule.</summary>
    public required TensorShape ShortcutShape { get; init; }

    /// <inheritdoc/>
    public override string Kind => "Add";

    internal override IEnumerable<string> OtherInputs => [Shortcut];

    internal override LayerShape Infer() => LayerRules.Add(Name, InputDimensions, Shortcut, [.. ShortcutShape]);
}
