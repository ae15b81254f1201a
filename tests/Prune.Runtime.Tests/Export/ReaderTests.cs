using System.Text.Json;
using Prune.Export;

namespace Prune.Runtime.Tests.Export;

/// <summary>Write, read back: the same operators, shapes, sparsity, signature and metadata.</summary>
public class ReaderTests
{
    [Fact]
    public void A_written_model_reads_back_with_its_ops_shapes_sparsity_signature_and_metadata()
    {
        using var model = TestModels.Input(2, 8, 8)
            .Conv("conv", 4, 3, activation: Activation.Relu)
            .MaxPool("pool", 2)
            .Flatten("flatten")
            .Dense("hidden", 40, Activation.Relu)
            .Dense("output", 3, Activation.Softmax)
            .Build("RoundTrip");
        TestPruning.Prune(model, "hidden", 0.9);
        var bytes = TfLiteExporter.Export(model, new ExportOptions
        {
            Description = "round trip",
            Metadata = new Dictionary<string, string> { ["dataset"] = "none" },
        });

        var info = TfLiteReader.Read(bytes);
        Assert.Equal(3u, info.SchemaVersion);
        Assert.Equal("round trip", info.Description);
        Assert.Equal(bytes.Length, info.FileSize);
        Assert.Equal(["CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "FULLY_CONNECTED", "SOFTMAX"], info.Operators.Select(o => o.Name));
        Assert.Equal([1, 8, 8, 2], info.Tensors[info.Inputs[0]].Shape);
        Assert.Equal("input", info.Tensors[info.Inputs[0]].Name);
        Assert.Equal([1, 3], info.Tensors[info.Outputs[0]].Shape);
        Assert.Equal([4, 3, 3, 2], info.Tensors.Single(t => t.Name == "conv/weight").Shape);
        Assert.Equal([40, 36], info.Tensors.Single(t => t.Name == "hidden/weight").Shape);
        Assert.Equal(0L, info.BufferSizes[0]);

        var hidden = info.Tensors.Single(t => t.Name == "hidden/weight");
        Assert.True(hidden.IsSparse);
        Assert.Equal(TestPruning.Zeros(model, "hidden") / 1440.0, hidden.ZeroFraction!.Value, 12);

        var signature = Assert.Single(info.Signatures);
        Assert.Equal("serving_default", signature.Key);
        Assert.Equal(info.Inputs[0], signature.Inputs["input"]);
        Assert.Equal(info.Outputs[0], signature.Outputs["output"]);

        Assert.Equal("none", info.Metadata["dataset"]);
        Assert.False(string.IsNullOrEmpty(info.Metadata[TfLiteExporter.VersionMetadata]));
        using var sparsity = JsonDocument.Parse(info.Metadata[TfLiteExporter.SparsityMetadata]);
        Assert.Equal(TestPruning.Zeros(model, "hidden"), sparsity.RootElement.GetProperty("hidden").GetProperty("zeros").GetInt64());
        Assert.Equal(1440, sparsity.RootElement.GetProperty("hidden").GetProperty("total").GetInt64());

        var text = TfLiteInspector.Describe(info);
        Assert.Contains("FULLY_CONNECTED", text);
        Assert.Contains("hidden/weight", text);
        Assert.Contains("sparse", text);
        Assert.Contains("serving_default", text);
    }

    [Fact]
    public void Bytes_that_are_not_a_tflite_file_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => TfLiteReader.Read(new byte[] { 1, 2, 3 }));
        Assert.Throws<InvalidDataException>(() => TfLiteReader.Read(new byte[64]));
    }

    [Fact]
    public void Constant_buffers_are_16_byte_aligned()
    {
        using var model = TestModels.Input(5).Dense("a", 7, Activation.Relu).Dense("b", 3).Build("Aligned");
        var bytes = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense });
        var info = TfLiteReader.Read(bytes);
        foreach (var t in info.Tensors.Where(t => t.Buffer > 0))
        {
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(t.Data, out var segment));
            Assert.Equal(0, segment.Offset % 16);
        }
    }
}
