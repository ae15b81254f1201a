using Prune.Pretrained;
using Prune.Specs;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pretrained;

/// <summary>
/// Loading a PyTorch checkpoint (a state_dict written by PyBridge, as torch.save writes it) by name: torchvision's module
/// paths (<c>layer1.0.conv1.weight</c>) fill the layers named with <c>_</c> for <c>.</c> (<c>layer1_0_conv1</c>).
/// </summary>
public sealed class CheckpointWeightsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prune-checkpoint-").FullName;

    /// <summary>conv1 → bn1 (relu) → layer1.0.conv1 → flatten → fc, as a TorchSharp module nests it the way torchvision does.</summary>
    private static nn.Module<Tensor, Tensor> TorchvisionStyle(int fcInputs = 4 * 4 * 4)
    {
        var module = nn.Sequential(
            ("conv1", nn.Conv2d(1, 4, 3, bias: false)),
            ("bn1", nn.BatchNorm2d(4)),
            ("relu", nn.ReLU()),
            ("layer1", nn.Sequential(("0", nn.Sequential(("conv1", nn.Conv2d(4, 4, 3, bias: false)))))),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(fcInputs, 3)));
        using (no_grad())
        {
            var generator = new Generator(11);
            foreach (var (name, buffer) in module.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal) || b.name.EndsWith("running_var", StringComparison.Ordinal)))
                buffer.uniform_(0.5, 1.5, generator);
            foreach (var parameter in module.parameters()) parameter.uniform_(-0.5, 0.5, generator);
        }
        module.eval();
        return module;
    }

    private static TestModels Declared() => TestModels.Input(1, 8, 8)
        .Conv("conv1", 4, 3, useBias: false).BatchNorm("bn1", Activation.Relu, momentum: 0.9, epsilon: 1e-5)
        .Conv("layer1_0_conv1", 4, 3, useBias: false)
        .Flatten("flatten");

    private string Save(nn.Module module)
    {
        var path = Path.Combine(_folder, $"checkpoint-{Guid.NewGuid():N}.pt");
        module.save_py(path);
        return path;
    }

    private static PretrainedWeights Load(Model model, string path, bool includeTop = true) =>
        PretrainedLoader.Load(model, new PretrainedSpec { Path = path, IncludeTop = includeTop }, Path.GetTempPath());

    [Fact]
    public void A_torchvision_style_checkpoint_fills_the_layers_named_after_its_module_paths_and_computes_what_its_module_does()
    {
        using var source = TorchvisionStyle();
        var path = Save(source);
        using var model = Model.FromSpec(Declared().Dense("fc", 3).Spec("Checkpointed"));
        model.eval();

        var loaded = Load(model, path);

        Assert.Equal(["conv1", "bn1", "layer1_0_conv1", "fc"], loaded.Layers);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = randn([5, 1, 8, 8], generator: new Generator(3));
        Assert.Equal(0.0, (model.call(x) - source.call(x)).abs().max().item<float>(), 6);
    }

    [Fact]
    public void Without_the_top_the_head_stays_fresh_and_the_checkpoint_s_head_is_ignored()
    {
        using var source = TorchvisionStyle();
        var path = Save(source);
        using var model = Model.FromSpec(Declared().Dense("head", 7).Spec("Backbone"));
        var head = (WeightLayer)model.Layers[^1];
        using var fresh = head.Weight.detach().clone();

        var loaded = Load(model, path, includeTop: false);

        Assert.Equal(["conv1", "bn1", "layer1_0_conv1"], loaded.Layers);
        Assert.True(fresh.equal(head.Weight).all().item<bool>());
        // With the top, the checkpoint's fc has no layer to go to: an error that says how to leave it out.
        using var again = Model.FromSpec(Declared().Dense("head", 7).Spec("Backbone"));
        var e = Assert.Throws<PretrainedWeightsException>(() => Load(again, path));
        Assert.Contains("the checkpoint holds 'fc.", e.Message);
        Assert.Contains("IncludeTop = false", e.Message);
    }

    [Fact]
    public void A_tensor_of_another_shape_is_refused_naming_the_layer_and_both_shapes()
    {
        using var source = TorchvisionStyle();
        var path = Save(source);
        using var model = Model.FromSpec(TestModels.Input(1, 8, 8)
            .Conv("conv1", 4, 3, useBias: false).BatchNorm("bn1", Activation.Relu, momentum: 0.9, epsilon: 1e-5)
            .Conv("layer1_0_conv1", 4, 5, useBias: false).Flatten("flatten").Dense("fc", 3).Spec("Wrong"));

        var e = Assert.Throws<PretrainedWeightsException>(() => Load(model, path));

        Assert.Equal(PretrainedProblem.DoesNotFit, e.Problem);
        Assert.Contains("layer layer1_0_conv1 (Conv2D) has a weight of shape [4, 4, 5, 5], but the file's 'layer1.0.conv1.weight' has shape [4, 4, 3, 3]", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_layer_the_checkpoint_lacks_is_named_with_the_key_it_looked_for()
    {
        using var source = TorchvisionStyle();
        var path = Save(source);
        using var model = Model.FromSpec(TestModels.Input(1, 8, 8)
            .Conv("stem", 4, 3, useBias: false).BatchNorm("bn1", momentum: 0.9, epsilon: 1e-5).Flatten("flatten").Dense("fc", 3).Spec("Renamed"));

        var e = Assert.Throws<PretrainedWeightsException>(() => Load(model, path, includeTop: false));

        Assert.Contains("layer stem (Conv2D) needs its weight, and the checkpoint has no key for it", e.Message);
        Assert.Contains("no key names this layer", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_that_is_not_a_checkpoint_or_an_ONNX_model_is_unreadable_naming_it(bool zip)
    {
        var path = Path.Combine(_folder, "broken.pt");
        File.WriteAllBytes(path, zip ? [(byte)'P', (byte)'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8] : [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 37))]);
        using var model = Model.FromSpec(Declared().Dense("fc", 3).Spec("Any"));

        var e = Assert.Throws<PretrainedWeightsException>(() => Load(model, path));

        Assert.Equal(PretrainedProblem.Unreadable, e.Problem);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_missing_file_is_not_found_naming_the_full_path_and_the_folder_it_was_relative_to()
    {
        using var model = Model.FromSpec(Declared().Dense("fc", 3).Spec("Any"));

        var e = Assert.Throws<PretrainedWeightsException>(() =>
            PretrainedLoader.Load(model, new PretrainedSpec { Path = "weights/missing.pt" }, _folder));

        Assert.Equal(PretrainedProblem.NotFound, e.Problem);
        Assert.Contains(Path.Combine(_folder, "weights", "missing.pt"), e.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
