using Onnx;
using Prune.Export;
using Prune.Export.Onnx;
using Prune.Onnx;
using Prune.Runtime.Tests.Training;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Export;

/// <summary>ONNX exports, written from the lowered ops the .tflite writer reads, run in ONNX Runtime and match TorchSharp.</summary>
public class OnnxExportTests
{
    /// <summary>Issue 13's bar for ONNX Runtime against TorchSharp, in probabilities.</summary>
    private const double Tolerance = 1e-5;

    [Fact]
    public void Convolutions_pools_flatten_relu6_and_softmax_match_TorchSharp()
    {
        using var model = TestModels.Input(3, 13, 13)
            .Conv("conv_valid", 6, 3, activation: Activation.Relu)
            .Conv("conv_same_s2", 8, 3, stride: 2, padding: Padding.Same, activation: Activation.Relu6)
            .MaxPool("max_same", 2, padding: Padding.Same)
            .AvgPool("avg_valid", 2, stride: 1)
            .Flatten("flatten")
            .Dense("hidden", 16, Activation.Relu)
            .Dropout("dropout")
            .Dense("probabilities", 5, Activation.Softmax)
            .Build("ConvNet");
        AssertMatchesTorch(model);
    }

    [Fact]
    public void Depthwise_with_multiplier_batchnorm_folding_same_average_pool_and_global_average_match_TorchSharp()
    {
        using var model = TestModels.Input(3, 12, 12)
            .Conv("conv", 4, 3, padding: Padding.Same)
            .BatchNorm("conv_bn", Activation.Relu)
            .Depthwise("depthwise", 2, 3, stride: 2, padding: Padding.Same, activation: Activation.Relu)
            .AvgPool("avg_same", 3, stride: 2, padding: Padding.Same)
            .MaxPool("max_valid", 2, stride: 1)
            .Depthwise("depthwise_tanh", 1, 2, activation: Activation.Tanh)
            .GlobalAvgPool("gap")
            .Dense("sigmoid", 3, Activation.Sigmoid)
            .Build("DepthwiseNet");
        AssertMatchesTorch(model);
    }

    [Fact]
    public void Symmetric_padding_becomes_explicit_pads_and_matches_TorchSharp()
    {
        using var model = FloatExportTests.SymmetricNet();
        AssertMatchesTorch(model);
        var graph = ModelProto.Parser.ParseFrom(OnnxExporter.Export(model)).Graph;
        var stem = graph.Node.Single(n => n.Name == "stem");
        Assert.Equal([3L, 3, 3, 3], stem.Attribute.Single(a => a.Name == "pads").Ints);
        Assert.Equal(1, graph.Node.Single(n => n.Name == "avg").Attribute.Single(a => a.Name == "count_include_pad").I);
    }

    [Fact]
    public void A_tabular_model_ending_in_one_logit_gets_its_sigmoid()
    {
        using var model = TestModels.Input(10)
            .Dense("tanh", 12, Activation.Tanh)
            .Dense("linear", 12)
            .BatchNorm("bn")
            .Dense("logit", 1)
            .Build("Binary");
        AssertMatchesTorch(model);
    }

    [Fact]
    public void A_pruned_CNN_trained_on_MNIST_matches_TorchSharp_on_200_test_images_within_1e_5_and_on_every_class()
    {
        var (_, test) = MnistSubset.Full;
        using var train = MnistSubset.Train(2000);
        manual_seed(5);
        using var model = Model.FromSpec(TestModels.SmallCnn());
        Trainer.Fit(model, train, new FitOptions { BatchSize = 64, Epochs = 1, LearningRate = 2e-3, Seed = 5 });
        TestPruning.Prune(model, "conv", 0.5);
        TestPruning.Prune(model, "logits", 0.5);
        using var images = test.Features.narrow(0, 0, 200);

        using var runner = new OnnxRunner(OnnxExporter.Export(model));
        var onnx = runner.Run(images.contiguous().data<float>().ToArray(), 200);

        using var logits = Trainer.Predict(model, images);
        var torch = logits.contiguous().data<float>().ToArray();
        var outputs = model.Spec.Output;
        var maxDifference = 0.0;
        var sameClass = 0;
        for (var i = 0; i < 200; i++)
        {
            var expected = outputs.Probabilities(torch[(i * 10)..((i + 1) * 10)]);
            var actual = onnx[(i * 10)..((i + 1) * 10)].Select(p => (double)p).ToArray();
            maxDifference = Math.Max(maxDifference, expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max());
            if (outputs.Class(expected) == outputs.Class(actual)) sameClass++;
        }
        Assert.True(maxDifference <= Tolerance, $"max probability difference {maxDifference:E2}");
        Assert.Equal(200, sameClass);
        var labels = test.Labels.narrow(0, 0, 200).to_type(ScalarType.Int32).data<int>().ToArray();
        var correct = Enumerable.Range(0, 200).Count(i => LiteRtCheck.ArgMax(onnx[(i * 10)..((i + 1) * 10)], 10)[0] == labels[i]);
        // A trained model (one epoch on 2,000 images, then pruned without fine-tuning), not noise: chance is 20 of 200.
        Assert.True(correct >= 140, $"the exported model is right on only {correct} of 200 test images");
    }

    [Fact]
    public void The_file_names_its_input_and_output_with_a_symbolic_batch_and_carries_Prunes_metadata()
    {
        using var model = TestModels.Input(1, 28, 28).Conv("conv", 4, 3, activation: Activation.Relu).Flatten("flatten").Dense("logits", 10).Build("Named");
        TestPruning.Prune(model, "logits", 0.75);
        var bytes = OnnxExporter.Export(model, new ExportOptions { Description = "a test model", Metadata = new Dictionary<string, string> { ["owner"] = "tests" } });

        var file = ModelProto.Parser.ParseFrom(bytes);
        Assert.Equal(OnnxExporter.OpsetVersion, file.OpsetImport.Single().Version);
        Assert.Equal("a test model", file.DocString);
        var input = file.Graph.Input.Single();
        Assert.Equal("input", input.Name);
        Assert.Equal(["batch", "1", "28", "28"], Dims(input));
        var output = file.Graph.Output.Single();
        Assert.Equal("probabilities", output.Name);
        Assert.Equal(["batch", "10"], Dims(output));
        Assert.Equal("Softmax", file.Graph.Node[^1].OpType);

        var metadata = file.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.False(string.IsNullOrEmpty(metadata[TfLiteExporter.VersionMetadata]));
        Assert.Equal("Tests.Named", metadata[TfLiteExporter.ClassMetadata]);
        Assert.Equal("{\"conv\":{\"zeros\":0,\"total\":36},\"logits\":{\"zeros\":20280,\"total\":27040}}", metadata[TfLiteExporter.SparsityMetadata]);
        Assert.Equal("tests", metadata["owner"]);

        // ONNX Runtime reads the same: the batch dimension stays open, so one session runs 1 or 7 samples.
        using var runner = new OnnxRunner(bytes);
        Assert.Equal([-1, 1, 28, 28], runner.InputShape);
        Assert.Equal(10, runner.Run(new float[784], 1).Length);
        Assert.Equal(70, runner.Run(new float[7 * 784], 7).Length);
    }

    [Fact]
    public void Int8_and_a_metadata_entry_named_like_Prunes_own_are_refused_with_a_clear_message()
    {
        using var model = TestModels.Input(4).Dense("logits", 2).Build("Tiny");
        Assert.Contains("float .onnx files only", Assert.Throws<ExportException>(() => OnnxExporter.Export(model, new ExportOptions { Int8 = true })).Message);
        var duplicate = new ExportOptions { Metadata = new Dictionary<string, string> { [TfLiteExporter.SparsityMetadata] = "{}" } };
        Assert.Contains("prune_sparsity", Assert.Throws<ExportException>(() => OnnxExporter.Export(model, duplicate)).Message);
    }

    /// <summary>ONNX Runtime's probabilities against TorchSharp's (its softmax or sigmoid applied where the model ends in logits).</summary>
    private static void AssertMatchesTorch(Model model, int samples = 16)
    {
        using var inputs = LiteRtCheck.Inputs(model, samples);
        var torch = LiteRtCheck.Torch(model, inputs);
        using var runner = new OnnxRunner(OnnxExporter.Export(model));
        var onnx = runner.Run(inputs.contiguous().data<float>().ToArray(), samples);
        Assert.Equal(torch.Length, onnx.Length);
        var outputs = model.Spec.Output;
        var width = torch.Length / samples;
        var maxDifference = 0.0;
        for (var i = 0; i < samples; i++)
        {
            var expected = outputs.Probabilities(torch[(i * width)..((i + 1) * width)]);
            maxDifference = Math.Max(maxDifference, expected.Select((p, j) => Math.Abs(p - onnx[i * width + j])).Max());
        }
        Assert.True(maxDifference <= Tolerance, $"max probability difference {maxDifference:E2} > {Tolerance:E0}");
    }

    private static string[] Dims(ValueInfoProto value) =>
        value.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
