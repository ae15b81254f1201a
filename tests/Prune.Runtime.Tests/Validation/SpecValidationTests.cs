using Prune.Specs;

namespace Prune.Runtime.Tests.Validation;

/// <summary>
/// <see cref="Model.FromSpec"/> checks a hand-built spec with the generator's rules: what the generator would report at
/// the attribute, the runtime throws, naming the layer and the rule (and the rule's PRUNE code when it has one).
/// </summary>
public class SpecValidationTests
{
    private static LayerSpec Dense(string name, int inputs, int units, int? outputs = null, long? parameters = null) => new DenseSpec
    {
        Name = name,
        InputShape = new(inputs),
        OutputShape = new(outputs ?? units),
        ParameterCount = parameters ?? units * (inputs + 1L),
        Units = units,
        UseBias = true,
    };

    private static ModelSpec Spec(TensorShape input, params LayerSpec[] layers) =>
        new() { Name = "HandBuilt", TypeName = "Tests.HandBuilt", InputShape = input, Layers = layers, Training = new() };

    public static TheoryData<string, ModelSpec, string?, string[]> Invalid => new()
    {
        { "a declared output its settings do not give", Spec(new(8), Dense("output", 8, 2, outputs: 3)), "output", ["declares the output [3]", "gives [2]"] },
        { "a declared parameter count its settings do not give", Spec(new(8), Dense("output", 8, 2, parameters: 10)), "output", ["10 parameters", "18"] },
        { "an input that is not the previous layer's output", Spec(new(8), Dense("hidden", 8, 4), Dense("output", 5, 2)), "output", ["input shape is [5]", "'hidden'", "[4]"] },
        { "a Dense layer on an image", Spec(new(1, 4, 4), Dense("output", 16, 2) with { InputShape = new(1, 4, 4) }), "output", ["Dense needs a flat input", "(PRUNE012)"] },
        { "a dropout rate of 1", Spec(new(8), new DropoutSpec { Name = "drop", InputShape = new(8), OutputShape = new(8), ParameterCount = 0, Rate = 1 }, Dense("output", 8, 2)), "drop", ["dropout rate must be in [0, 1)", "(PRUNE009)"] },
        { "a block larger than the weight", Spec(new(30), Dense("output", 30, 16) with { Pruning = new(new ConstantSparsity(0.5)) { Block = new(3, 31) } }), "output", ["block 3x31", "(PRUNE021)"] },
        { "an output that is not one value per class", Spec(new(1, 4, 4), new MaxPool2DSpec { Name = "pool", InputShape = new(1, 4, 4), OutputShape = new(1, 2, 2), ParameterCount = 0, Pool = new(2, 2), Stride = new(2, 2), Padding = Padding.Valid }), "pool", ["not one value per class", "(PRUNE030)"] },
        { "two layers of one name", Spec(new(8), Dense("output", 8, 4), Dense("output", 4, 2)), "output", ["two layers of this name"] },
        { "a normalization of features", Spec(new(8), Dense("output", 8, 2)) with { Normalization = new() { Mean = [0], Std = [1] } }, null, ["[Normalize]", "[8] is not an image", "(PRUNE036)"] },
        { "a normalization with a std of 0", Spec(new(2), Dense("output", 2, 2)) with { InputShape = new(1, 1, 2), Layers = [new FlattenSpec { Name = "flat", InputShape = new(1, 1, 2), OutputShape = new(2), ParameterCount = 0 }, Dense("output", 2, 2)], Normalization = new() { Mean = [0], Std = [0] } }, null, ["[Normalize]", "every std greater than 0", "(PRUNE036)"] },
        { "a training setting out of range", Spec(new(8), Dense("output", 8, 2)) with { Training = new() { BatchSize = 0 } }, null, ["Training BatchSize must be 1 or more", "(PRUNE024)"] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_hand_built_spec_that_breaks_a_rule_is_refused_naming_the_layer_and_the_rule(string rule, ModelSpec spec, string? layer, string[] message)
    {
        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(spec));

        Assert.True(error.LayerName == layer, $"{rule}: the error names layer '{error.LayerName}', not '{layer}' ({error.Message})");
        if (layer is not null) Assert.Contains($"'{layer}'", error.Message, StringComparison.Ordinal);
        Assert.All(message, part => Assert.Contains(part, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_spec_the_generator_would_write_is_accepted()
    {
        using var model = Model.FromSpec(Spec(new(8), Dense("hidden", 8, 4), Dense("output", 4, 2)));

        Assert.Equal(2, model.Layers.Count);
    }
}
