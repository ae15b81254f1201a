using Prune.Export;
using Prune.Onnx;
using Prune.Runtime.Tests.Training;
using Prune.Export.Onnx;
using Prune.Training;

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

    [Fact]
    public void A_residual_model_exports_to_a_float_tflite_that_matches_TorchSharp_in_LiteRT()
    {
        using var model = ResNet();
        using var inputs = LiteRtCheck.Inputs(model, 16);
        using var dir = new TempDirectory();
        var bytes = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense });

        var diff = LiteRtCheck.MaxAbsDiff(LiteRtCheck.Torch(model, inputs), LiteRtCheck.LiteRt(bytes, model, inputs, dir.Path));
        // Observed: 1.8e-7 (seeded weights and inputs).
        Assert.True(diff <= 1e-4f, $"max abs logit difference {diff}");

        // Every BatchNorm folded; the adds fuse their activations; the shortcut reads the max pool's tensor.
        var info = TfLiteReader.Read(bytes);
        Assert.Equal(["PAD", "CONV_2D", "PADV2", "MAX_POOL_2D", "PAD", "CONV_2D", "PAD", "CONV_2D", "CONV_2D", "ADD", "PAD", "CONV_2D", "PAD", "CONV_2D", "ADD", "MEAN", "FULLY_CONNECTED"],
            info.Operators.Select(o => o.Name).ToArray());
        var adds = info.Operators.Where(o => o.Name == "ADD").Select(o => info.Tensors[o.Outputs[0]].Name).ToArray();
        Assert.Equal(["down_add", "block_add"], adds);
        var projection = info.Operators.Single(o => o.Name == "CONV_2D" && info.Tensors[o.Outputs[0]].Name == "projection");
        Assert.Equal("pool", info.Tensors[projection.Inputs[0]].Name);
    }

    [Fact]
    public void A_residual_model_exports_to_int8_that_agrees_with_the_float_model_on_MNIST_test_images()
    {
        // Trained briefly (one epoch on 2,000 images): an untrained model's logits lie so close together that rounding
        // alone flips its top-1 (986 of 1,000 agreed, observed), which says nothing about the export.
        using var model = ResNet();
        using (var subset = MnistSubset.Train(2000))
            Trainer.Fit(model, subset, new FitOptions { BatchSize = 64, Epochs = 1, LearningRate = 2e-3, Seed = 5 });
        model.eval();
        var (train, test) = MnistSubset.Full;
        using var calibration = train.Features.narrow(0, 2000, 200);
        using var images = test.Features.narrow(0, 0, 1000);
        using var dir = new TempDirectory();
        var bytes = TfLiteExporter.Export(model, new ExportOptions { Int8 = true, RepresentativeInputs = calibration });

        var expected = LiteRtCheck.ArgMax(LiteRtCheck.Torch(model, images), 10);
        var actual = LiteRtCheck.ArgMax(LiteRtCheck.LiteRt(bytes, model, images, dir.Path), 10);
        var agree = expected.Zip(actual, (a, b) => a == b).Count(same => same);
        // Observed: 994/1000 (seeded training on one thread; LiteRT is deterministic). With the ADD's output quantized
        // like its input instead of on its own range, 988.
        Assert.True(agree >= 990, $"top-1 agreement {agree}/1000");

        // ADD rescales its inputs, each with its own scale, to the output's.
        var info = TfLiteReader.Read(bytes);
        var add = info.Operators.First(o => o.Name == "ADD");
        var scales = add.Inputs.Concat(add.Outputs).Select(t => info.Tensors[t].Quantization!.Scale[0]).ToArray();
        Assert.Equal(3, scales.Distinct().Count());
    }

    [Fact]
    public void A_residual_model_exports_to_onnx_that_matches_TorchSharp_in_ONNX_Runtime()
    {
        using var model = ResNet();
        using var inputs = LiteRtCheck.Inputs(model, 16);
        using var runner = new OnnxRunner(OnnxExporter.Export(model));
        var onnx = runner.Run(inputs.contiguous().data<float>().ToArray(), 16);
        var torch = LiteRtCheck.Torch(model, inputs);
        var outputs = model.Spec.Output;
        var diff = Enumerable.Range(0, 16).Max(i =>
            outputs.Probabilities(torch[(i * 10)..((i + 1) * 10)]).Select((p, j) => Math.Abs(p - onnx[i * 10 + j])).Max());
        // Observed: 2.3e-8. Issue 14 asks for 1e-4; issue 13's bar for ONNX Runtime is 1e-5 in probabilities.
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
