using Prune.Specs;
using Prune.Tests.Shared.Models;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Generated;

/// <summary>
/// Modules written by the generator run in TorchSharp, and what they do equals what the generator inferred at
/// compile time: parameter counts (sum of numel over parameters()) and output shapes, layer by layer.
/// </summary>
public class GeneratedModelTests
{
    public static TheoryData<Type> Models => [typeof(SeedCnn), typeof(EveryLayerModel), typeof(TabularModel), typeof(ResidualModel),
        typeof(ResNet18), typeof(MobileNetV2)];

    [Theory]
    [MemberData(nameof(Models))]
    public void Module_matches_its_compile_time_definition(Type type)
    {
        var definition = (ModelSpec)type.GetProperty("ModelSpec")!.GetValue(null)!;
        manual_seed(3);
        using var model = (Model)Activator.CreateInstance(type)!;
        model.eval();

        Assert.Same(definition, model.Spec);
        Assert.Equal(definition.Layers.Select(l => l.Name), model.Layers.Select(l => l.Spec.Name));
        Assert.Equal(definition.Layers.Select(l => l.Name), model.named_children().Select(c => c.name));
        Assert.Equal(definition.ParameterCount, model.parameters().Sum(p => p.numel()));
        foreach (var layer in model.Layers)
            Assert.Equal(layer.Spec.ParameterCount, layer.parameters().Sum(p => p.numel()));

        using var scope = NewDisposeScope();
        // Each layer on the outputs it reads, as forward runs them (a block's layers and Adds read earlier layers).
        var output = model.Run(randn(definition.InputShape.WithBatch(2)), (i, _, x) => Assert.Equal(model.Layers[i].Spec.OutputShape.WithBatch(2), x.shape));
        Assert.Equal(definition.OutputShape.WithBatch(2), output.shape);
    }

    [Fact]
    public void Seed_cnn_definition_carries_the_declared_settings()
    {
        var spec = SeedCnn.ModelSpec;

        Assert.Equal(("SeedCnn", "Prune.Runtime.Tests.Generated.SeedCnn"), (spec.Name, spec.TypeName));
        Assert.Equal(new TensorShape(10), spec.OutputShape);
        Assert.Equal(["conv1", "conv2", "fc1", "logits"], spec.PrunedLayers.Select(l => l.Name));
        Assert.Equal(new global::Prune.Specs.PolynomialDecay(0, 0.8, 0, 1800), spec.Layers[0].Pruning!.Schedule);
        Assert.Equal(new global::Prune.Specs.ConstantSparsity(0.5), spec.Layers[^1].Pruning!.Schedule);
        Assert.Equal((3, 2, 64, 1e-4), (spec.Training.Epochs, spec.Training.FineTuneEpochs, spec.Training.BatchSize, spec.Training.FineTuneLearningRate));
        Assert.EndsWith("DeclaredModels.cs", spec.Layers[0].Source!.FilePath, StringComparison.Ordinal);
        Assert.Equal((12, 6), (spec.Layers[0].Source!.Line, spec.Layers[0].Source!.Column));
    }

    [Fact]
    public void Pretrained_weights_are_declared_in_the_spec_as_written()
    {
        Assert.Equal(new global::Prune.Specs.PretrainedSpec { Path = "weights/tabular.pt", IncludeTop = false, FreezeEpochs = 2 }, TabularModel.ModelSpec.Pretrained);
        Assert.Null(SeedCnn.ModelSpec.Pretrained);
        Assert.Equal(new NormalizationSpec { Mean = [103.06, 115.9, 123.15], Std = [1.0] }, ResidualModel.ModelSpec.Normalization);
        Assert.Null(SeedCnn.ModelSpec.Normalization);
    }

    [Fact]
    public void A_residual_model_s_layers_read_what_its_declaration_names()
    {
        var spec = ResidualModel.ModelSpec;
        var graph = spec.Graph;
        int Index(string name) => spec.Layers.ToList().FindIndex(l => l.Name == name);
        string[] Reads(string name) => [.. graph.InputsOf(Index(name)).Select(i => spec.Layers[i].Name)];

        Assert.Equal(["stemNorm"], Reads("side"));
        Assert.Equal(["side", "branch"], Reads("join"));
        // The block projects its input (stride 2, 8 to 16 channels); the field names the block's last layer.
        Assert.Equal(["join"], Reads("block_0_downsample_0"));
        Assert.Equal(["block_0_bn2", "block_0_downsample_1"], Reads("block_0_add"));
        Assert.Equal(["inverted_1_project_bn", "inverted_0_add"], Reads("inverted_1_add"));
        Assert.Equal(["inverted_1_add"], Reads("pool"));
        // [Prune] on a block prunes its convolutions, and only those.
        Assert.Equal(["block_0_conv1", "block_0_conv2", "block_0_downsample_0"], spec.PrunedLayers.Select(l => l.Name));
    }

    [Fact]
    public void Generated_models_are_discoverable_like_the_host_finds_them()
    {
        var found = typeof(SeedCnn).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(SeedCnn).Namespace && t.IsSubclassOf(typeof(Model)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Where(t => t.GetProperty("ModelSpec", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.PropertyType == typeof(ModelSpec))
            .Select(t => t.Name)
            .Order();

        Assert.Equal(["EveryLayerModel", "ResidualModel", "SeedCnn", "TabularModel"], found);
    }
}
