using Prune.Export;

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
}
