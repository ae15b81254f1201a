using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Validation;

/// <summary>
/// Models with branches: a layer may read an earlier layer's output (<see cref="LayerSpec.Input"/>) and an Add joins two
/// branches. The model runs the layers as the spec connects them, and refuses a spec whose connections are wrong.
/// </summary>
public class ResidualModelTests
{
    /// <summary>stem → conv a → conv b → add(stem), relu; and a projected branch: stem → 1x1 conv (stride 2) added to a
    /// strided conv's output.</summary>
    private static TestModels Residual() => TestModels.Input(2, 8, 8)
        .Conv("stem", 4, 3, padding: Padding.Same, activation: Activation.Relu)
        .Conv("a", 4, 3, padding: Padding.Same, activation: Activation.Relu)
        .Conv("b", 4, 3, padding: Padding.Same)
        .Add("join", "stem", Activation.Relu)
        .Conv("down", 6, 3, stride: 2, padding: Padding.Same)
        .From("join").Conv("projection", 6, 1, stride: 2)
        .Add("join2", "down", Activation.Relu)
        .GlobalAvgPool("pool")
        .Dense("logits", 3);

    [Fact]
    public void A_residual_model_adds_the_shortcut_to_its_branch()
    {
        using var model = Residual().Build("Residual");
        using var scope = NewDisposeScope();
        var x = randn([5, 2, 8, 8], generator: new Generator(3));
        Tensor Layer(string name, Tensor input) => model.Layers.Single(l => l.Spec.Name == name).call(input);

        var stem = Layer("stem", x);
        var join = nn.functional.relu(Layer("b", Layer("a", stem)) + stem);
        var join2 = nn.functional.relu(Layer("projection", join) + Layer("down", join));
        var expected = Layer("logits", Layer("pool", join2));

        var actual = model.call(x);
        Assert.Equal(0.0, (actual - expected).abs().max().item<float>(), 6);
    }

    [Fact]
    public void Calibration_sees_every_layer_of_a_residual_model_including_the_add()
    {
        using var model = Residual().Build("Residual");
        using var x = randn([16, 2, 8, 8], generator: new Generator(4));
        var ranges = ActivationRanges.Measure(model, x);
        var join = model.Spec.Layers.ToList().FindIndex(l => l.Name == "join");
        Assert.Equal(0f, ranges.Output[join].Min);
        Assert.True(ranges.PreActivation[join].Min < 0, "the sum before the ReLU has negative values");
        Assert.All(ranges.Output, r => Assert.True(r.Min <= r.Max));
    }

    [Fact]
    public void An_add_of_two_shapes_is_refused_naming_both()
    {
        var spec = TestModels.Input(2, 8, 8)
            .Conv("stem", 4, 3, padding: Padding.Same)
            .Conv("wide", 6, 3, padding: Padding.Same)
            .Spec("Mismatch");
        var add = new AddSpec { Name = "join", InputShape = new(6, 8, 8), OutputShape = new(6, 8, 8), ParameterCount = 0, Shortcut = "stem", ShortcutShape = new(4, 8, 8) };
        spec = spec with { Layers = [.. spec.Layers, add, Pool(new(6, 8, 8))] };
        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(spec));
        Assert.Contains("Layer 'join'", error.Message);
        Assert.Contains("'stem', [4, 8, 8], to its input, [6, 8, 8]", error.Message);
        Assert.Contains("(PRUNE033)", error.Message);
    }

    [Fact]
    public void A_layer_that_reads_a_later_or_unknown_layer_is_refused()
    {
        var spec = Residual().Spec("Unknown");
        var layers = spec.Layers.Select(l => l.Name == "projection" ? l with { Input = "join3" } : l).ToList();
        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(spec with { Layers = layers }));
        Assert.Contains("Layer 'projection': its input 'join3' is not a layer declared before it", error.Message);
        Assert.Contains("(PRUNE034)", error.Message);
    }

    [Fact]
    public void A_branch_whose_output_nobody_reads_is_refused()
    {
        var spec = TestModels.Input(2, 8, 8)
            .Conv("stem", 4, 3, padding: Padding.Same)
            .Conv("dangling", 4, 3, padding: Padding.Same)
            .From("stem").GlobalAvgPool("pool")
            .Dense("logits", 3)
            .Spec("Dangling");
        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(spec));
        Assert.Contains("Layer 'dangling': no layer reads its output", error.Message);
        Assert.Contains("(PRUNE035)", error.Message);
    }

    private static GlobalAveragePool2DSpec Pool(TensorShape input) => new() { Name = "pool", InputShape = input, OutputShape = new(input[0]), ParameterCount = 0 };
}
