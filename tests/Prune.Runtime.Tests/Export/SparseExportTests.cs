using Prune.Export;

namespace Prune.Runtime.Tests.Export;

/// <summary>Pruned weights stored sparse: same outputs as dense storage, smaller files, the format LiteRT honours.</summary>
public class SparseExportTests
{
    [Fact]
    public void An_80_percent_sparse_dense_layer_stored_sparse_computes_what_dense_storage_computes_in_a_smaller_file()
    {
        using var model = TestModels.Input(48).Dense("hidden", 64, Activation.Relu).Dense("logits", 10).Build("SparseFc");
        TestPruning.Prune(model, "hidden", 0.8);
        using var dir = new TempDirectory();
        using var inputs = LiteRtCheck.Inputs(model, 20);

        var dense = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense });
        var sparse = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Auto });
        var info = TfLiteReader.Read(sparse);
        var weight = info.Tensors.Single(t => t.Name == "hidden/weight");
        Assert.Equal("CSR", weight.Layout);   // unstructured zeros: CSR is smaller than 1x4 blocks
        Assert.Equal(TestPruning.Zeros(model, "hidden") / 3072.0, weight.ZeroFraction!.Value, 12);
        Assert.Equal(8, info.Operators.First(o => o.Name == "FULLY_CONNECTED" && o.Inputs[1] == weight.Index).Version);
        Assert.False(info.Tensors.Single(t => t.Name == "logits/weight").IsSparse);   // not pruned: dense is smaller
        Assert.True(sparse.Length < dense.Length * 0.6, $"sparse {sparse.Length} B vs dense {dense.Length} B");

        var expected = LiteRtCheck.Torch(model, inputs);
        var fromSparse = LiteRtCheck.LiteRt(sparse, model, inputs, dir.Path);
        var fromDense = LiteRtCheck.LiteRt(dense, model, inputs, dir.Path);
        Assert.True(LiteRtCheck.MaxAbsDiff(fromSparse, fromDense) <= 1e-5f);
        Assert.True(LiteRtCheck.MaxAbsDiff(expected, fromSparse) <= 1e-4f);
    }

    [Fact]
    public void Sparse_convolution_weights_go_through_DENSIFY_and_still_match_TorchSharp()
    {
        using var model = TestModels.Input(4, 10, 10)
            .Conv("conv", 16, 3, activation: Activation.Relu)
            .Depthwise("depthwise", 1, 3, padding: Padding.Same)
            .Flatten("flatten")
            .Dense("logits", 6)
            .Build("SparseConv");
        TestPruning.Prune(model, "conv", 0.8);
        TestPruning.Prune(model, "depthwise", 0.5);
        using var dir = new TempDirectory();
        using var inputs = LiteRtCheck.Inputs(model, 12);

        var bytes = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Sparse });
        var info = TfLiteReader.Read(bytes);
        Assert.Equal(2, info.Operators.Count(o => o.Name == "DENSIFY"));
        Assert.True(info.Tensors.Single(t => t.Name == "conv/weight").IsSparse);
        Assert.Equal(TestPruning.Zeros(model, "conv") / (16.0 * 4 * 9), info.Tensors.Single(t => t.Name == "conv/weight").ZeroFraction!.Value, 12);

        var diff = LiteRtCheck.MaxAbsDiff(LiteRtCheck.Torch(model, inputs), LiteRtCheck.LiteRt(bytes, model, inputs, dir.Path));
        Assert.True(diff <= 1e-4f, $"max abs diff {diff}");
    }
}
