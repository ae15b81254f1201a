using Prune.Data;
using Prune.Export;
using Prune.Layers;
using Prune.Onnx;
using Prune.Runtime.Tests.Training;
using Prune.Export.Onnx;
using Prune.Specs;
using Prune.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Export;

/// <summary>
/// Models with branches export by their graph: each op reads the tensors of the layers it reads, a BatchNorm folds
/// into the layer it reads on each branch, an Add becomes TFLite ADD (its ReLU or ReLU6 fused) and ONNX Add.
/// </summary>
public class ResidualExportTests
{
    /// <summary>
    /// A small ResNet on MNIST's 1x28x28: the stem (7x7 stride 2, max pool 3x3 stride 2, PyTorch's symmetric padding),
    /// a downsampling block whose shortcut is a projection (1x1 stride 2) with a BatchNorm on each branch and a ReLU
    /// after the add, then an identity block with a ReLU6 after its add.
    /// </summary>
    private static Model ResNet() => TestModels.Input(1, 28, 28)
        .Conv("stem", 8, 7, stride: 2, padding: Padding.Symmetric)
        .BatchNorm("stem_bn", Activation.Relu)
        .MaxPool("pool", 3, stride: 2, padding: Padding.Symmetric)
        .Conv("down_conv1", 16, 3, stride: 2, padding: Padding.Symmetric)
        .BatchNorm("down_bn1", Activation.Relu)
        .Conv("down_conv2", 16, 3, padding: Padding.Symmetric)
        .BatchNorm("down_bn2")
        .From("pool").Conv("projection", 16, 1, stride: 2, padding: Padding.Symmetric)
        .BatchNorm("projection_bn")
        .Add("down_add", "down_bn2", Activation.Relu)
        .Conv("block_conv1", 16, 3, padding: Padding.Symmetric)
        .BatchNorm("block_bn1", Activation.Relu)
        .Conv("block_conv2", 16, 3, padding: Padding.Symmetric)
        .BatchNorm("block_bn2")
        .Add("block_add", "down_add", Activation.Relu6)
        .GlobalAvgPool("gap")
        .Dense("logits", 10)
        .Build("ResNet", seed: 3);

    /// <summary>
    /// A small MobileNetV2 on MNIST's 1x28x28, declared with the DSL (<see cref="SmallMobileNetV2"/>): inverted residuals
    /// with and without an expansion, depthwise convolutions at stride 1 and 2, Adds where the shapes match.
    /// </summary>
    private static Model MobileNetV2()
    {
        var model = TestModels.Seeded(new SmallMobileNetV2(), seed: 3);
        using var inputs = LiteRtCheck.Inputs(model, 32, seed: 13);
        return WithBatchStatistics(model, inputs);
    }

    /// <summary>
    /// <paramref name="model"/> with every BatchNorm's running statistics those of what it reads on <paramref name="inputs"/>,
    /// so that each normalizes as a well-trained one does. With seeded random statistics the signal fades through a
    /// MobileNetV2's depthwise convolutions until its logits hardly depend on the input (1e-8 apart between two inputs
    /// at 32x32, observed), and a float check would pass whatever the convolutions computed.
    /// </summary>
    private static Model WithBatchStatistics(Model model, Tensor inputs)
    {
        using var _ = no_grad();
        model.eval();
        // One pass: each layer's output is observed before the layers that read it run, so a BatchNorm's statistics are
        // set from its input just before it normalizes it.
        using var output = model.Run(inputs, (layer, _, output) =>
        {
            foreach (var norm in model.Graph.ReadersOf(layer).Select(r => model.Layers[r]).OfType<BatchNormLayer>())
            {
                using var mean = output.mean([0, 2, 3]);
                using var variance = output.var([0L, 2L, 3L], unbiased: false);
                norm.RunningMean.copy_(mean);
                norm.RunningVariance.copy_(variance);
            }
        });
        return model;
    }

    public static TheoryData<string> Models => ["ResNet", "MobileNetV2"];

    private static Model Create(string name) => name == "ResNet" ? ResNet() : MobileNetV2();

    /// <summary>The operators each model lowers to: every BatchNorm folded, every ReLU and ReLU6 fused into the op before
    /// it, symmetric padding a PAD before a VALID op.</summary>
    private static readonly Dictionary<string, string[]> s_operators = new()
    {
        ["ResNet"] = ["PAD", "CONV_2D", "PADV2", "MAX_POOL_2D", "PAD", "CONV_2D", "PAD", "CONV_2D", "CONV_2D", "ADD", "PAD", "CONV_2D", "PAD", "CONV_2D", "ADD", "MEAN", "FULLY_CONNECTED"],
        ["MobileNetV2"] =
        [
            "PAD", "CONV_2D",
            "PAD", "DEPTHWISE_CONV_2D", "CONV_2D", "ADD",                 // expansion 1: no expanding convolution
            "CONV_2D", "PAD", "DEPTHWISE_CONV_2D", "CONV_2D",             // stride 2: no add
            "CONV_2D", "PAD", "DEPTHWISE_CONV_2D", "CONV_2D", "ADD",
            "CONV_2D", "PAD", "DEPTHWISE_CONV_2D", "CONV_2D",
            "CONV_2D", "MEAN", "FULLY_CONNECTED",
        ],
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void A_residual_model_exports_to_a_float_tflite_that_matches_TorchSharp_in_LiteRT(string name)
    {
        using var model = Create(name);
        using var inputs = LiteRtCheck.Inputs(model, 16);
        var (diff, bytes, _) = FloatDifference(model, inputs);
        // Observed: 1.8e-7 (ResNet), 9.5e-7 (MobileNetV2) (seeded weights and inputs).
        Assert.True(diff <= 1e-4f, $"max abs logit difference {diff}");
        Assert.Equal(s_operators[name], TfLiteReader.Read(bytes).Operators.Select(o => o.Name).ToArray());
    }

    [Fact]
    public void A_ResNet_s_shortcut_reads_the_max_pool_s_tensor_and_its_adds_write_their_layers_tensors()
    {
        using var model = ResNet();
        var info = TfLiteReader.Read(TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense }));
        var adds = info.Operators.Where(o => o.Name == "ADD").Select(o => info.Tensors[o.Outputs[0]].Name).ToArray();
        Assert.Equal(["down_add", "block_add"], adds);
        var projection = info.Operators.Single(o => o.Name == "CONV_2D" && info.Tensors[o.Outputs[0]].Name == "projection");
        Assert.Equal("pool", info.Tensors[projection.Inputs[0]].Name);
    }

    /// <summary>
    /// torchvision's MobileNetV2 1.0 as declared in tests/Shared/Models (3,504,872 parameters at 224x224 with 1000 classes),
    /// moved to MNIST digits resized to 3x32x32 and a 10-class head, with seeded random weights and its BatchNorms' statistics
    /// taken on 32 digits: its depthwise convolutions reach 1x1 maps (blocks 6 and 7), where symmetric padding makes the
    /// 3x3 kernel cover the whole padded input.
    /// </summary>
    [Fact]
    public void The_full_MobileNetV2_declaration_at_32x32_exports_to_a_float_tflite_that_computes_it_in_LiteRT()
    {
        var layers = Prune.Tests.Shared.Models.MobileNetV2.ModelSpec.Layers;
        var spec = Prune.Tests.Shared.Models.MobileNetV2.ModelSpec.Resized(new TensorShape(3, 32, 32), i => i == layers.Count - 1 ? 10 : null);
        Assert.Equal(new TensorShape(960, 1, 1), spec.Layers.Single(l => l.Name == "block7_0_depthwise").OutputShape);
        using var digits = MnistSubset.Full.Test.Take(48);
        using var images = ImageResize.To(digits, spec.InputShape);
        using var model = TestModels.Seeded(Model.FromSpec(spec), seed: 3);
        using (var statistics = images.Features.narrow(0, 0, 32)) WithBatchStatistics(model, statistics);

        using var inputs = images.Features.narrow(0, 32, 16);
        var (diff, bytes, liteRt) = FloatDifference(model, inputs);
        // 52 convolutions deep, float32 rounds differently in each: TorchSharp and LiteRT differ by 1.0e-4 (logits up to
        // 7.3), while each is within 9e-5 of TorchSharp in float64 (observed: TorchSharp 6.8e-5, LiteRT 8.8e-5).
        Assert.True(diff <= 2e-4f, $"max abs logit difference {diff}");
        var operators = TfLiteReader.Read(bytes).Operators.Select(o => o.Name).ToArray();
        Assert.Equal(17, operators.Count(o => o == "DEPTHWISE_CONV_2D"));
        Assert.Equal(10, operators.Count(o => o == "ADD"));
        Assert.DoesNotContain(operators, o => o is "RELU6" or "MUL");

        model.to(ScalarType.Float64);
        using var inputs64 = inputs.to(float64);
        var exact = LiteRtCheck.Torch(model, inputs64);
        var exactDiff = LiteRtCheck.MaxAbsDiff(exact, liteRt);
        Assert.True(exactDiff <= 1e-4f, $"max abs logit difference from float64 {exactDiff}");
    }

    /// <summary>The largest difference between TorchSharp's logits and LiteRT's running the dense float file; the file; LiteRT's logits.</summary>
    private static (float Diff, byte[] File, float[] LiteRt) FloatDifference(Model model, Tensor inputs)
    {
        using var dir = new TempDirectory();
        var bytes = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense });
        var torch = LiteRtCheck.Torch(model, inputs);
        // The logits depend on the input, by far more than the tolerance: the check can see a convolution computed wrongly.
        var spread = torch.Select((logit, i) => Math.Abs(logit - torch[i % 10])).Max();
        Assert.True(spread > 0.02f, $"the logits of {inputs.shape[0]} inputs lie within {spread} of the first's");
        var liteRt = LiteRtCheck.LiteRt(bytes, model, inputs, dir.Path);
        return (LiteRtCheck.MaxAbsDiff(torch, liteRt), bytes, liteRt);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_residual_model_exports_to_int8_that_agrees_with_the_float_model_on_MNIST_test_images(string name)
    {
        // Trained briefly: an untrained model's logits lie so close together that rounding alone flips its top-1 (986 of
        // 1,000 agreed, observed), which says nothing about the export.
        using var model = Create(name);
        var (train, test) = MnistSubset.Full;
        if (name == "ResNet")
        {
            using var subset = MnistSubset.Train(2000);
            Trainer.Fit(model, subset, new FitOptions { BatchSize = 64, Epochs = 1, LearningRate = 2e-3, Seed = 5 });
        }
        else
        {
            // The MobileNetV2 learns slower (one epoch on 2,000 images: 52% accurate), and 63 steps leave its BatchNorms'
            // running statistics behind its weights: re-estimated on training images, it is 87% accurate and its logits
            // stand 8-bit activations (agreement 977 of 1,000 without, 995 with; TorchSharp with only its activations
            // rounded to the file's int8 grids, 983 and 994: the rounding, not the file).
            using (var subset = MnistSubset.Train(4000))
                Trainer.Fit(model, subset, new FitOptions { BatchSize = 64, Epochs = 1, LearningRate = 5e-3, Seed = 5 });
            using var statistics = train.Features.narrow(0, 5000, 1000);
            WithBatchStatistics(model, statistics);
        }
        model.eval();
        using var calibration = train.Features.narrow(0, 2000, 200);
        using var images = test.Features.narrow(0, 0, 1000);
        using var dir = new TempDirectory();
        var bytes = TfLiteExporter.Export(model, new ExportOptions { Int8 = true, RepresentativeInputs = calibration });

        var expected = LiteRtCheck.ArgMax(LiteRtCheck.Torch(model, images), 10);
        var actual = LiteRtCheck.ArgMax(LiteRtCheck.LiteRt(bytes, model, images, dir.Path), 10);
        var agree = expected.Zip(actual, (a, b) => a == b).Count(same => same);
        // Observed: 997/1000 (ResNet), 994/1000 (MobileNetV2; 995 before the logits were calibrated within reach of each
        // sample's top) (seeded training on one thread; LiteRT is deterministic).
        // With the ResNet's ADD output quantized like its input instead of on its own range, 988.
        Assert.True(agree >= 990, $"top-1 agreement {agree}/1000");

        // ADD rescales its inputs, each with its own scale, to the output's.
        var info = TfLiteReader.Read(bytes);
        var add = info.Operators.First(o => o.Name == "ADD");
        var scales = add.Inputs.Concat(add.Outputs).Select(t => info.Tensors[t].Quantization!.Scale[0]).ToArray();
        Assert.Equal(3, scales.Distinct().Count());
        // Convolution weights have a scale per output channel: a depthwise filter [1, kh, kw, channels] on its last axis.
        foreach (var conv in info.Operators.Where(o => o.Name is "CONV_2D" or "DEPTHWISE_CONV_2D"))
        {
            var weight = info.Tensors[conv.Inputs[1]];
            var axis = conv.Name == "CONV_2D" ? 0 : 3;
            Assert.Equal((axis, weight.Shape[axis]), (weight.Quantization!.Dimension, weight.Quantization.Scale.Count));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_residual_model_exports_to_onnx_that_matches_TorchSharp_in_ONNX_Runtime(string name)
    {
        using var model = Create(name);
        using var inputs = LiteRtCheck.Inputs(model, 16);
        using var runner = new OnnxRunner(OnnxExporter.Export(model));
        var onnx = runner.Run(inputs.contiguous().data<float>().ToArray(), 16);
        var torch = LiteRtCheck.Torch(model, inputs);
        var outputs = model.Spec.Output;
        var diff = Enumerable.Range(0, 16).Max(i =>
            outputs.Probabilities(torch[(i * 10)..((i + 1) * 10)]).Select((p, j) => Math.Abs(p - onnx[i * 10 + j])).Max());
        // Observed: 2.3e-8 (ResNet), 9.8e-8 (MobileNetV2). Issue 14 asks for 1e-4; issue 13's bar for ONNX Runtime is 1e-5 in probabilities.
        Assert.True(diff <= 1e-5, $"max probability difference {diff:E2}");
    }

    [Fact]
    public void A_BatchNorm_cannot_fold_into_a_layer_whose_output_another_branch_reads()
    {
        using var model = TestModels.Input(2, 8, 8)
            .Conv("conv", 4, 3, padding: Padding.Same)
            .BatchNorm("bn", Activation.Relu)
            .Add("add", "conv")
            .GlobalAvgPool("gap")
            .Dense("logits", 3)
            .Build("SharedConv");
        var e = Assert.Throws<ExportException>(() => TfLiteExporter.Export(model, new ExportOptions()));
        Assert.Equal("bn", e.LayerName);
        Assert.Contains("'conv', whose output is also read by 'add'", e.Message);
    }

    [Fact]
    public void A_flattened_image_may_reach_only_Dense_layers_on_every_branch()
    {
        using var model = TestModels.Input(2, 4, 4)
            .Flatten("flatten")
            .Dense("dense", 32)
            .Add("add", "flatten")
            .Dense("logits", 3)
            .Build("FlattenAdded");
        var e = Assert.Throws<ExportException>(() => TfLiteExporter.Export(model, new ExportOptions()));
        Assert.Equal("add", e.LayerName);
        Assert.Contains("only Dense or Dropout may follow a Flatten", e.Message);
    }
}

#pragma warning disable IDE1006 // Layer fields are named like torchvision's modules (stem_bn), not like private fields (_stem).

/// <summary>MobileNetV2 in miniature for MNIST: torchvision's stem, four inverted residuals, its head.</summary>
[Model(1, 28, 28)]
public partial class SmallMobileNetV2
{
    [Conv2D(16, 3, stride: 2, padding: Padding.Symmetric, useBias: false)] Layer stem;      // 14x14
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu6)] Layer stem_bn;
    //                    t,  c,          s
    [InvertedResidual(1, 16)] Layer block1;
    [InvertedResidual(4, 24, stride: 2)] Layer block2;     // 7x7
    [InvertedResidual(4, 24)] Layer block3;
    [InvertedResidual(4, 32, stride: 2)] Layer block4;     // 4x4
    [Conv2D(128, 1, useBias: false)] Layer head;
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu6)] Layer head_bn;
    [GlobalAveragePool2D] Layer pool;
    [Dense(10)] Layer logits;
}
