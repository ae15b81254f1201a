using Prune.Export;
using Prune.Pruning;
using Prune.Runtime.Tests.Export;
using Prune.Runtime.Tests.Training;
using Prune.Specs;
using Prune.Specs.Rules;
using Prune.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pruning;

/// <summary>
/// Filter pruning end to end on real MNIST: fine-tune with channel masks, strip, and the smaller dense model computes
/// what the masked one did (max abs difference ≤ 1e-5 on real test images), for every kind of dependency a removed
/// channel has; and LiteRT runs the smaller file.
/// </summary>
public class FilterPruningTests
{
    private static PruningSpec Filters(double sparsity, FilterCriterion criterion = FilterCriterion.L1) =>
        new(new ConstantSparsity(sparsity, beginStep: 0, frequency: 3)) { Filter = criterion };

    public static TheoryData<string> Topologies => ["conv_conv", "conv_batchnorm_conv", "conv_depthwise_conv", "conv_flatten_dense", "dense_dense", "mnist_cnn"];

    /// <summary>Models with residual blocks: channels an Add joins are removed from all of its producers at once.</summary>
    public static TheoryData<string> ResidualTopologies => ["residual", "residual_slimming"];

    private static ModelSpec Build(string topology) => topology switch
    {
        // A sigmoid makes a removed channel 0.5, not 0: the next convolution must not read it at all.
        "conv_conv" => TestModels.Input(1, 28, 28)
            .Conv("conv1", 8, 3, stride: 2, activation: Activation.Sigmoid, pruning: Filters(0.5))
            .Conv("conv2", 6, 3, stride: 2, padding: Padding.Same, activation: Activation.Relu)
            .GlobalAvgPool("pool").Dense("logits", 10).Spec("ConvConv"),
        // Network slimming: channels ranked by the BatchNorm's γ; a removed channel's β and running mean would leak.
        "conv_batchnorm_conv" => TestModels.Input(1, 28, 28)
            .Conv("conv1", 8, 3, stride: 2, pruning: Filters(0.5, FilterCriterion.BatchNormScale))
            .BatchNorm("norm1", Activation.Relu)
            .Conv("conv2", 6, 3, stride: 2, activation: Activation.Relu)
            .GlobalAvgPool("pool").Dense("logits", 10).Spec("ConvBatchNormConv"),
        "conv_depthwise_conv" => TestModels.Input(1, 28, 28)
            .Conv("conv1", 8, 3, stride: 2, activation: Activation.Relu, pruning: Filters(0.25, FilterCriterion.L2))
            .Depthwise("depthwise", 2, 3, padding: Padding.Same, activation: Activation.Relu)
            .Conv("conv2", 6, 1, activation: Activation.Relu)
            .GlobalAvgPool("pool").Dense("logits", 10).Spec("ConvDepthwiseConv"),
        // NCHW flatten: channel c is the 36 features from c·36 on in the Dense layer's input.
        "conv_flatten_dense" => TestModels.Input(1, 28, 28)
            .Conv("conv1", 8, 3, stride: 2, activation: Activation.Relu, pruning: Filters(0.5))
            .MaxPool("pool", 2).Dropout("dropout", 0.1).Flatten("flatten")
            .Dense("logits", 10).Spec("ConvFlattenDense"),
        "dense_dense" => TestModels.Input(1, 28, 28)
            .Flatten("flatten")
            .Dense("hidden", 32, Activation.Tanh, pruning: Filters(0.75))
            .Dense("logits", 10).Spec("DenseDense"),
        // samples/FilterPruned's shape, smaller: every hidden layer filter-pruned, so conv2 and hidden both lose inputs and outputs.
        "mnist_cnn" => TestModels.Input(1, 28, 28)
            .Conv("conv1", 8, 3, activation: Activation.Relu, pruning: Filters(0.5))
            .MaxPool("pool1", 2)
            .Conv("conv2", 16, 3, activation: Activation.Relu, pruning: Filters(0.5))
            .MaxPool("pool2", 2).Flatten("flatten")
            .Dense("hidden", 32, Activation.Relu, pruning: Filters(0.5))
            .Dense("logits", 10).Spec("MnistCnn"),
        // ResNet's two block kinds: an identity shortcut ties b's channels to the stem's (one group, read by a, down
        // and projection); a projection shortcut ties down's channels to projection's. The sigmoid after the first Add
        // makes a removed channel 0.5: down and projection must not read it.
        "residual" => Residual(FilterCriterion.L1),
        "residual_slimming" => Residual(FilterCriterion.BatchNormScale),
        // MobileNetV2's blocks, filter-pruned as the generator expands them (FilterPrunedMobileNetV2).
        "inverted_residual" => FilterPrunedMobileNetV2.ModelSpec,
        _ => throw new ArgumentOutOfRangeException(nameof(topology)),
    };

    private static ModelSpec Residual(FilterCriterion criterion) => TestModels.Input(1, 28, 28)
        .Conv("stem", 8, 3, stride: 2, padding: Padding.Same, pruning: Filters(0.5, criterion)).BatchNorm("stem_norm", Activation.Relu)
        .Conv("a", 8, 3, padding: Padding.Same, pruning: Filters(0.5, criterion)).BatchNorm("a_norm", Activation.Relu)
        .Conv("b", 8, 3, padding: Padding.Same, pruning: Filters(0.5, criterion)).BatchNorm("b_norm")
        .Add("join", "stem_norm", Activation.Sigmoid)
        .Conv("down", 12, 3, stride: 2, padding: Padding.Same, pruning: Filters(0.5, criterion)).BatchNorm("down_norm")
        .From("join").Conv("projection", 12, 1, stride: 2, pruning: Filters(0.5, criterion)).BatchNorm("projection_norm")
        .Add("join2", "down_norm", Activation.Relu)
        .GlobalAvgPool("pool").Dense("logits", 10).Spec("Residual");

    /// <summary>The model fine-tuned with filter masks (still attached) on real MNIST images, in evaluation mode.</summary>
    private static Model MaskedModel(string topology)
    {
        manual_seed(5);
        var model = Model.FromSpec(Build(topology));
        using var train = MnistSubset.Train(384);
        Trainer.Fit(model, train, new FitOptions { BatchSize = 32, Epochs = 1, LearningRate = 0.05 }, new Pruner(model));
        model.eval();
        return model;
    }

    private static Tensor TestImages(int count) => MnistSubset.Full.Test.Features.narrow(0, 0, count);

    [Theory]
    [MemberData(nameof(Topologies))]
    [MemberData(nameof(ResidualTopologies))]
    public void The_shrunk_model_computes_what_the_masked_model_did_on_real_test_images(string topology)
    {
        using var model = MaskedModel(topology);
        using var images = TestImages(1000);
        var masked = LiteRtCheck.Torch(model, images);
        var producer = model.Layers.OfType<WeightLayer>().First(l => l.Spec.Pruning?.Filter is not null);
        var declaredChannels = producer.Spec.Weight!.Rows;
        var sparsity = producer.Spec.Pruning!.Schedule.FinalSparsity;

        using var shrunk = Strip.Apply(model);

        Assert.NotSame(model, shrunk);
        var shrunkProducer = shrunk.Spec.Layers.Single(l => l.Name == producer.Spec.Name);
        Assert.Equal(PruningRules.KeptChannels(declaredChannels, sparsity), shrunkProducer.Weight!.Rows);
        Assert.True(shrunk.Spec.ParameterCount < model.Spec.ParameterCount);
        Assert.True(shrunk.Spec.MultiplyAccumulates < model.Spec.MultiplyAccumulates);
        Assert.DoesNotContain(shrunk.state_dict().Keys, k => k.EndsWith(WeightLayer.MaskBufferName, StringComparison.Ordinal));
        var diff = LiteRtCheck.MaxAbsDiff(masked, LiteRtCheck.Torch(shrunk, images));
        Assert.True(diff <= 1e-5f, $"{topology}: max abs difference {diff} between the shrunk and the masked model");
    }

    [Theory]
    [MemberData(nameof(Topologies))]
    public void LiteRT_runs_the_shrunk_file_with_smaller_tensors_and_agrees_with_TorchSharp(string topology)
    {
        using var model = MaskedModel(topology);
        using var dense = Model.FromSpec(model.Spec);
        var denseBytes = TfLiteExporter.Export(dense, new ExportOptions { Storage = WeightStorage.Dense });
        using var shrunk = Strip.Apply(model);
        using var dir = new TempDirectory();
        using var images = TestImages(64);

        var bytes = TfLiteExporter.Export(shrunk, new ExportOptions { Storage = WeightStorage.Dense });
        var auto = TfLiteExporter.Export(shrunk, new ExportOptions { Storage = WeightStorage.Auto });

        var autoDiff = LiteRtCheck.MaxAbsDiff(LiteRtCheck.Torch(shrunk, images), LiteRtCheck.LiteRt(auto, shrunk, images, dir.Path));
        Assert.True(autoDiff <= 1e-4f, $"{topology}: LiteRT (Auto storage) differs from TorchSharp by {autoDiff}");
        Assert.True(bytes.Length < denseBytes.Length, $"{topology}: the shrunk file has {bytes.Length} bytes, the declared model's {denseBytes.Length}");
        var diff = LiteRtCheck.MaxAbsDiff(LiteRtCheck.Torch(shrunk, images), LiteRtCheck.LiteRt(bytes, shrunk, images, dir.Path));
        Assert.True(diff <= 1e-4f, $"{topology}: LiteRT differs from TorchSharp by {diff}");
    }

    [Fact]
    public void A_target_that_would_keep_18_channels_keeps_16_so_the_shrunk_model_and_LiteRT_compute_what_the_masked_model_did()
    {
        // 32 filters at 0.4375 keep 18 in tfmot's count, and conv2 would read 18 channels, which libtorch's CPU
        // convolution computes wrongly (the test below): the shrunk model would then differ from the masked one (which
        // reads 32, 14 of them zero) by ~3e-3, and so would LiteRT, which computes it right, from TorchSharp.
        var spec = TestModels.Input(1, 28, 28)
            .Conv("conv1", 32, 3, activation: Activation.Relu, pruning: Filters(0.4375))
            .MaxPool("pool", 2)
            .Conv("conv2", 8, 3, activation: Activation.Relu)
            .GlobalAvgPool("gap").Dense("logits", 10).Spec("EighteenChannels");
        Assert.Equal(18, MaskCalculator.KeptCount(32, 0.4375));
        manual_seed(5);
        using var model = Model.FromSpec(spec);
        // Two small steps: a model this far from confident still shows a wrong convolution in its probabilities.
        using (var train = MnistSubset.Train(64))
            Trainer.Fit(model, train, new FitOptions { BatchSize = 32, Epochs = 1, LearningRate = 0.01 }, new Pruner(model));
        model.eval();
        using var images = TestImages(64);
        var masked = LiteRtCheck.Torch(model, images);

        using var shrunk = Strip.Apply(model);
        using var dir = new TempDirectory();

        Assert.Equal(16, shrunk.Spec.Layers.Single(l => l.Name == "conv1").Weight!.Rows);
        Assert.Equal(16, shrunk.Spec.Layers.Single(l => l.Name == "conv2").InputShape[0]);
        var shrunkOutputs = LiteRtCheck.Torch(shrunk, images);
        var shrinkDiff = LiteRtCheck.MaxAbsDiff(masked, shrunkOutputs);
        Assert.True(shrinkDiff <= 1e-5f, $"the shrunk model differs from the masked one by {shrinkDiff}");
        var bytes = TfLiteExporter.Export(shrunk, new ExportOptions { Storage = WeightStorage.Dense });
        var diff = LiteRtCheck.MaxAbsDiff(shrunkOutputs, LiteRtCheck.LiteRt(bytes, shrunk, images, dir.Path));
        Assert.True(diff <= 1e-4f, $"LiteRT differs from TorchSharp by {diff}");
    }

    [Fact]
    public void Filter_pruning_leaves_no_tensor_behind_once_its_models_are_disposed()
    {
        static void PruneAndStrip()
        {
            using var model = MaskedModel("mnist_cnn");
            using var shrunk = Strip.Apply(model);
        }
        PruneAndStrip();   // warm-up: what is made once per process (MNIST, TorchSharp's own) is made here
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        PruneAndStrip();

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Masks_remove_whole_channels_with_their_bias_and_the_inputs_that_read_them()
    {
        using var model = MaskedModel("conv_batchnorm_conv");
        var conv1 = (WeightLayer)model.Layers[0];
        var norm = (Layers.BatchNormLayer)model.Layers[1];
        var conv2 = (WeightLayer)model.Layers[2];
        using var rows = conv1.Weight.detach().abs().flatten(1).sum(1);
        var removed = rows.data<float>().ToArray().Select((v, c) => (v, c)).Where(x => x.v == 0).Select(x => x.c).ToArray();

        Assert.Equal(4, removed.Length);
        foreach (var c in removed)
        {
            Assert.Equal(0f, conv1.Bias![c].item<float>());
            Assert.Equal(0f, norm.Scale[c].item<float>());
            Assert.Equal(0f, norm.Offset[c].item<float>());
            using var column = conv2.Weight.detach()[TensorIndex.Colon, TensorIndex.Single(c)].abs().sum();
            Assert.Equal(0f, column.item<float>());
        }
    }

    [Fact]
    public void A_model_without_filter_pruning_is_stripped_in_place()
    {
        manual_seed(6);
        using var model = Model.FromSpec(TestModels.SmallCnn(new PruningSpec(new ConstantSparsity(0.5))));
        _ = new Pruner(model);

        Assert.Same(model, Strip.Apply(model));
    }

    [Fact]
    public void A_spec_written_by_hand_with_filter_pruning_on_the_last_layer_is_refused_with_PRUNE032()
    {
        var spec = TestModels.Input(8).Dense("hidden", 4).Dense("logits", 3, pruning: Filters(0.5)).Spec("Last");

        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(spec));

        Assert.Equal("PRUNE032", error.Code);
        Assert.Contains("classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Producers_an_Add_joins_keep_the_same_channels_and_every_reader_loses_them()
    {
        using var model = MaskedModel("residual");
        WeightLayer Layer(string name) => model.Layers.OfType<WeightLayer>().Single(l => l.Spec.Name == name);
        using var stemRows = Layer("stem").WeightMask!.flatten(1).amax(1);
        using var bRows = Layer("b").WeightMask!.flatten(1).amax(1);
        Assert.Equal(stemRows.data<float>().ToArray(), bRows.data<float>().ToArray());
        Assert.Equal(4f, stemRows.sum().item<float>());

        using var shrunk = Strip.Apply(model);
        int Filters(string name) => ((Conv2DSpec)shrunk.Spec.Layers.Single(l => l.Name == name)).Filters;
        Assert.Equal([4, 4, 4, 6, 6], new[] { Filters("stem"), Filters("a"), Filters("b"), Filters("down"), Filters("projection") });
        Assert.Equal(new TensorShape(6), shrunk.Spec.Layers.Single(l => l.Name == "logits").InputShape);
        Assert.Equal(new TensorShape(4, 14, 14), ((AddSpec)shrunk.Spec.Layers.Single(l => l.Name == "join")).ShortcutShape);
    }

    /// <summary>
    /// A block's [FilterSparsity] prunes its convolutions' filters; each depthwise convolution follows the channels of the
    /// convolution before it (the block's expansion, or the stem for an expansion of 1), so it and the BatchNorms on the
    /// way keep exactly the channels that convolution keeps, with their values; the shrunk model computes what the masked
    /// one did on real test images, and LiteRT runs its file.
    /// </summary>
    [Fact]
    public void An_inverted_residual_s_depthwise_convolution_and_BatchNorms_keep_the_channels_of_the_convolution_before_them()
    {
        Assert.All(FilterPrunedMobileNetV2.ModelSpec.Layers.Where(l => l is DepthwiseConv2DSpec), l => Assert.Null(l.Pruning));
        using var model = MaskedModel("inverted_residual");
        static Layer Named(Model model, string name) => model.Layers.Single(l => l.Spec.Name == name);
        // Each convolution's kept channels and what the masked model holds for them, read before Strip detaches the masks.
        var expected = new[]
        {
            ("stem", new[] { "stem_bn", "block1_0_depthwise", "block1_0_depthwise_bn" }),
            ("block2_0_expand", ["block2_0_expand_bn", "block2_0_depthwise", "block2_0_depthwise_bn"]),
            ("block2_1_expand", ["block2_1_expand_bn", "block2_1_depthwise", "block2_1_depthwise_bn"]),
        }.Select(g =>
        {
            var (producer, followers) = g;
            var layer = (WeightLayer)Named(model, producer);
            using var kept = FilterMasks.Channels(layer.WeightMask!).nonzero().flatten();
            Assert.Equal(PruningRules.KeptChannels(layer.Spec.OutputShape[0], 0.5), kept.shape[0]);
            // The producer's kept rows: its removed inputs' columns are zero here and gone from the shrunk weight.
            var rows = layer.Weight.detach().index_select(0, kept).abs().sum([1, 2, 3]);
            var parameters = followers.SelectMany(f => Named(model, f).state_dict()
                .Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                .Select(p => (Name: $"{f}.{p.Key}", Kept: p.Value.index_select(0, kept)))).ToList();
            return (Producer: producer, Rows: rows, Parameters: parameters);
        }).ToList();

        using var images = TestImages(256);
        var masked = LiteRtCheck.Torch(model, images);

        using var shrunk = Strip.Apply(model);

        var shrunkOutputs = LiteRtCheck.Torch(shrunk, images);
        // The logits depend on the input (a wrong channel would show), and the shrunk model's are the masked one's
        // (observed: 0, every removed channel exactly zero in the masked model).
        var spread = masked.Select((logit, i) => Math.Abs(logit - masked[i % 10])).Max();
        Assert.True(spread > 0.1f, $"the logits of {images.shape[0]} images lie within {spread} of the first's");
        var shrinkDiff = LiteRtCheck.MaxAbsDiff(masked, shrunkOutputs);
        Assert.True(shrinkDiff <= 1e-5f, $"the shrunk model differs from the masked one by {shrinkDiff}");
        var shrunkParameters = shrunk.state_dict();
        foreach (var (producer, rows, parameters) in expected)
        {
            using var shrunkRows = ((WeightLayer)Named(shrunk, producer)).Weight.detach().abs().sum([1, 2, 3]);
            Assert.True(allclose(rows, shrunkRows, rtol: 1e-6, atol: 0), $"{producer}: the shrunk filters are not the kept ones");
            // Each follower's kept channels: the BatchNorms' scale, offset and statistics, the depthwise filters.
            Assert.Equal(9, parameters.Count);
            foreach (var (name, kept) in parameters)
            {
                Assert.Equal(kept.shape, shrunkParameters[name].shape);
                Assert.True(kept.equal(shrunkParameters[name]).all().item<bool>(), $"{name}: not the channels {producer} keeps");
            }
        }

        using var dir = new TempDirectory();
        var bytes = TfLiteExporter.Export(shrunk, new ExportOptions { Storage = WeightStorage.Dense });
        var diff = LiteRtCheck.MaxAbsDiff(shrunkOutputs, LiteRtCheck.LiteRt(bytes, shrunk, images, dir.Path));
        // Observed: 2.9e-6.
        Assert.True(diff <= 2e-5f, $"LiteRT differs from TorchSharp by {diff}");
    }

    [Fact]
    public void Producers_an_Add_joins_must_share_one_filter_pruning_or_the_spec_is_refused_naming_both()
    {
        var spec = Build("residual");
        var layers = spec.Layers.Select(l => l.Name == "stem" ? l with { Pruning = null } : l).ToList();

        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(spec with { Layers = layers }));

        Assert.Equal("PRUNE032", error.Code);
        Assert.Contains("Layer 'b': the Add 'join' sums its output channels with those of 'stem'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Channels_an_Add_joins_to_the_model_input_cannot_be_removed()
    {
        // The Dropout passes the model's input through; the Add sums it with the convolution's output.
        var spec = TestModels.Input(4, 8, 8)
            .Dropout("dropout", 0.1)
            .Conv("conv", 4, 3, padding: Padding.Same, pruning: Filters(0.5))
            .Add("join", "dropout")
            .GlobalAvgPool("pool").Dense("logits", 3).Spec("InputJoin");

        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(spec));

        Assert.Equal("PRUNE032", error.Code);
        Assert.Contains("Layer 'conv': the Add 'join' sums its output channels with the model's input", error.Message, StringComparison.Ordinal);
    }
}

#pragma warning disable IDE1006 // Layer fields are named like torchvision's modules (stem_bn), not like private fields (_stem).

/// <summary>MobileNetV2 in miniature for MNIST, every convolution but the head filter-pruned: the stem, an expansion-1
/// block whose Add joins the stem, a stride-2 row of two whose second adds the first's output, the head.</summary>
[Model(1, 28, 28)]
public partial class FilterPrunedMobileNetV2
{
    [Conv2D(16, 3, stride: 2, padding: Padding.Symmetric, useBias: false), Prune(0.5), FilterSparsity] Layer stem;   // 14x14
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu6)] Layer stem_bn;
    [InvertedResidual(1, 16), Prune(0.5), FilterSparsity] Layer block1;
    [InvertedResidual(4, 24, stride: 2, repeat: 2), Prune(0.5), FilterSparsity] Layer block2;                          // 7x7
    [Conv2D(32, 1, useBias: false)] Layer head;
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu6)] Layer head_bn;
    [GlobalAveragePool2D] Layer pool;
    [Dense(10)] Layer logits;
}
