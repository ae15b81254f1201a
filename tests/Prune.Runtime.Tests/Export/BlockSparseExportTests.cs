using Prune.Export;
using Prune.Export.Onnx;
using Prune.Onnx;
using Prune.Pipeline;
using Prune.Pruning;
using Prune.Specs;

namespace Prune.Runtime.Tests.Export;

/// <summary>
/// Block-sparse FULLY_CONNECTED weights, the layouts LiteRT's sparse kernels read: float 1×4 and int8 1×16 blocks,
/// padded to whole blocks when the inputs do not divide; each file run in LiteRT against TorchSharp.
/// </summary>
public class BlockSparseExportTests
{
    private static Model Mlp(int inputs, string name) =>
        TestModels.Input(inputs).Dense("hidden", 32, Activation.Relu).Dense("logits", 10).Build(name, seed: 7);

    [Theory]
    [InlineData(48, 48)]   // 4 divides 48
    [InlineData(42, 44)]   // padded to 44 columns, a PAD op before the layer
    public void A_float_dense_layer_pruned_in_1x4_blocks_is_stored_in_1x4_blocks_and_matches_TorchSharp(int inputs, int storedColumns)
    {
        using var model = Mlp(inputs, "Blocks1x4");
        TestPruning.PruneBlocks(model, "hidden", 0.8, 1, 4);
        using var dir = new TempDirectory();
        using var samples = LiteRtCheck.Inputs(model, 20);

        var bytes = TfLiteExporter.Export(model, new ExportOptions());
        var info = TfLiteReader.Read(bytes);
        var weight = info.Tensors.Single(t => t.Name == "hidden/weight");
        Assert.Equal("1x4 blocks", weight.Layout);
        Assert.Equal([32, storedColumns], weight.Shape);
        Assert.Equal(storedColumns > inputs, info.Operators.Any(o => o.Name == "PAD"));
        Assert.Equal("dense", info.Tensors.Single(t => t.Name == "logits/weight").Layout);   // not pruned
        // The report's MACs and parameters are the layer's, not its padded weight's.
        var cost = OperatorCosts.Of(info).Single(c => c.Layer == "hidden" && c.Operator == "FULLY_CONNECTED");
        Assert.Equal(32L * inputs, cost.MultiplyAccumulates);
        Assert.Equal((32L * inputs) + 32, cost.Parameters);

        var diff = LiteRtCheck.MaxAbsDiff(LiteRtCheck.Torch(model, samples), LiteRtCheck.LiteRt(bytes, model, samples, dir.Path));
        Assert.True(diff <= 1e-5f, $"max abs diff {diff}");
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(40, 48)]   // padded to 48 columns
    public void An_int8_dense_layer_pruned_in_1x16_blocks_is_stored_in_1x16_blocks_and_computes_what_dense_int8_computes(int inputs, int storedColumns)
    {
        using var model = Mlp(inputs, "Blocks1x16");
        TestPruning.PruneBlocks(model, "hidden", 0.8, 1, 16);
        using var calibration = LiteRtCheck.Inputs(model, 100, seed: 3);
        using var dir = new TempDirectory();
        using var samples = LiteRtCheck.Inputs(model, 50, seed: 4);

        var options = new ExportOptions { Int8 = true, RepresentativeInputs = calibration };
        var bytes = TfLiteExporter.Export(model, options);
        var dense = TfLiteExporter.Export(model, options with { Storage = WeightStorage.Dense });
        var info = TfLiteReader.Read(bytes);
        var weight = info.Tensors.Single(t => t.Name == "hidden/weight");
        Assert.Equal("1x16 blocks", weight.Layout);
        Assert.Equal([32, storedColumns], weight.Shape);
        Assert.Equal(8, info.Operators.Single(o => o.Name == "FULLY_CONNECTED" && o.Inputs[1] == weight.Index).Version);
        Assert.Equal(storedColumns > inputs, info.Operators.Any(o => o.Name == "PAD"));
        Assert.True(bytes.Length < dense.Length, $"block-sparse {bytes.Length} B vs dense {dense.Length} B");

        var fromBlocks = LiteRtCheck.LiteRt(bytes, model, samples, dir.Path);
        var fromDense = LiteRtCheck.LiteRt(dense, model, samples, dir.Path);
        var expected = LiteRtCheck.Torch(model, samples);
        var sameAsDense = LiteRtCheck.MaxAbsDiff(fromBlocks, fromDense);
        var fromTorch = LiteRtCheck.MaxAbsDiff(expected, fromBlocks);
        Assert.True(sameAsDense <= 1e-6f, $"block-sparse vs dense int8: max abs diff {sameAsDense}");
        Assert.True(fromTorch <= 0.05f, $"int8 vs TorchSharp: max abs diff {fromTorch}");
    }

    [Fact]
    public void Blocks_after_a_flatten_run_along_each_channels_pixels_and_the_files_flatten_in_that_order()
    {
        // [8, 4, 4] flattened: TorchSharp's columns run (c, h, w). A block-pruned Dense layer keeps that order in the
        // file (TRANSPOSE to NCHW before the RESHAPE), so its 1x16 blocks are one channel's 16 pixels, there and here.
        var blocks = new PruningSpec(new ConstantSparsity(0.8, beginStep: 0, frequency: 1000)) { Block = new(1, 16) };
        using var model = TestModels.Input(2, 6, 6).Conv("conv", 8, 3, activation: Activation.Relu).Flatten("flatten")
            .Dense("logits", 10, pruning: blocks).Build("FlattenBlocks");
        new Pruner(model).BeforeStep(0);
        using var calibration = LiteRtCheck.Inputs(model, 100, seed: 3);
        using var samples = LiteRtCheck.Inputs(model, 50, seed: 4);
        using var dir = new TempDirectory();
        var expected = LiteRtCheck.Torch(model, samples);

        var int8 = TfLiteExporter.Export(model, new ExportOptions { Int8 = true, RepresentativeInputs = calibration });
        var info = TfLiteReader.Read(int8);
        Assert.Equal(["QUANTIZE", "CONV_2D", "TRANSPOSE", "RESHAPE", "FULLY_CONNECTED", "DEQUANTIZE"], info.Operators.Select(o => o.Name));
        var weight = info.Tensors.Single(t => t.Name == "logits/weight");
        Assert.Equal("1x16 blocks", weight.Layout);
        // 10 rows of 8 blocks, 80% pruned: 16 blocks kept, 16 values each (cut in another order, they would scatter over ~3x as many).
        Assert.Equal(16 * MaskCalculator.KeptCount(80, 0.8), weight.ByteSize);
        var agree = LiteRtCheck.ArgMax(expected, 10).Zip(LiteRtCheck.ArgMax(LiteRtCheck.LiteRt(int8, model, samples, dir.Path), 10), (a, b) => a == b).Count(x => x);
        Assert.True(agree >= 49, $"int8 top-1 agreement {agree}/50");

        var float32 = TfLiteExporter.Export(model, new ExportOptions());
        Assert.Equal("1x4 blocks", TfLiteReader.Read(float32).Tensors.Single(t => t.Name == "logits/weight").Layout);
        var floatDiff = LiteRtCheck.MaxAbsDiff(expected, LiteRtCheck.LiteRt(float32, model, samples, dir.Path));
        Assert.True(floatDiff <= 1e-5f, $"float file vs TorchSharp: max abs diff {floatDiff}");

        // ONNX's tensors are NCHW already: its Flatten gives (c, h, w) without a Transpose.
        using var onnx = new OnnxRunner(OnnxExporter.Export(model));
        var probabilities = onnx.Run(samples.contiguous().data<float>().ToArray(), 50);
        var onnxDiff = Enumerable.Range(0, 50).Max(i =>
            model.Spec.Output.Probabilities(expected[(i * 10)..((i + 1) * 10)]).Zip(probabilities[(i * 10)..((i + 1) * 10)], (a, b) => Math.Abs(a - b)).Max());
        Assert.True(onnxDiff <= 1e-5, $"ONNX Runtime vs TorchSharp: max probability difference {onnxDiff:E2}");
    }

    [Fact]
    public void A_flatten_read_by_a_dense_layer_pruned_weight_by_weight_keeps_the_files_own_order()
    {
        // Only blocks need the columns in TorchSharp's order; single weights do not, and the file needs no TRANSPOSE.
        using var model = TestModels.Input(2, 6, 6).Conv("conv", 8, 3, activation: Activation.Relu).Flatten("flatten")
            .Dense("logits", 10, pruning: new PruningSpec(new ConstantSparsity(0.8, beginStep: 0, frequency: 1000))).Build("FlattenWeights");
        Assert.Equal(["CONV_2D", "RESHAPE", "FULLY_CONNECTED"], TfLiteReader.Read(TfLiteExporter.Export(model, new ExportOptions())).Operators.Select(o => o.Name));
    }

    [Fact]
    public void A_convolution_pruned_in_1x16_blocks_falls_back_to_a_layout_LiteRT_runs_and_the_report_says_so()
    {
        // The conv's view is [8, 36]: 1x16 blocks fit it (padded to 48), but LiteRT has no block-sparse CONV_2D kernel.
        var blocks = new PruningSpec(new ConstantSparsity(0.8, beginStep: 0, frequency: 1000)) { Block = new(1, 16) };
        using var model = TestModels.Input(4, 6, 6).Conv("conv", 8, 3, activation: Activation.Relu, pruning: blocks).Flatten("flatten")
            .Dense("logits", 10).Build("ConvBlocks");
        new Pruner(model).BeforeStep(0);
        using var calibration = LiteRtCheck.Inputs(model, 100, seed: 3);
        using var samples = LiteRtCheck.Inputs(model, 50, seed: 4);
        using var dir = new TempDirectory();

        var floatFile = TfLiteExporter.Export(model, new ExportOptions());
        var int8File = TfLiteExporter.Export(model, new ExportOptions { Int8 = true, RepresentativeInputs = calibration });
        var rows = WeightStorageReport.Of(model.Spec, [new ReadBackFile("f.tflite", TfLiteReader.Read(floatFile)), new ReadBackFile("q.tflite", TfLiteReader.Read(int8File))]);
        var conv = rows.Where(r => r.Layer == "conv").ToList();
        Assert.Equal(["f.tflite", "q.tflite"], conv.Select(r => r.File));
        Assert.All(conv, r => Assert.DoesNotContain("blocks", r.Layout, StringComparison.Ordinal));
        Assert.All(conv, r => Assert.Contains("pruned in 1x16 blocks, but LiteRT's block-sparse kernels read only FULLY_CONNECTED weights", r.Note, StringComparison.Ordinal));
        Assert.Null(rows.Single(r => r.File == "f.tflite" && r.Layer == "logits").Note);

        var floatDiff = LiteRtCheck.MaxAbsDiff(LiteRtCheck.Torch(model, samples), LiteRtCheck.LiteRt(floatFile, model, samples, dir.Path));
        Assert.True(floatDiff <= 1e-5f, $"float: max abs diff {floatDiff}");
        var expected = LiteRtCheck.ArgMax(LiteRtCheck.Torch(model, samples), 10);
        var agree = expected.Zip(LiteRtCheck.ArgMax(LiteRtCheck.LiteRt(int8File, model, samples, dir.Path), 10), (a, b) => a == b).Count(x => x);
        Assert.True(agree >= 49, $"int8 top-1 agreement {agree}/50");
    }
}
