using Prune.Export;

namespace Prune.Runtime.Tests.Export;

/// <summary>Unexportable layers are named in the error, and a failed export leaves no file behind.</summary>
public class ExportErrorTests
{
    private static Model BatchNormAfterPool() => TestModels.Input(2, 8, 8)
        .Conv("conv", 4, 3, activation: Activation.Relu)
        .MaxPool("pool", 2)
        .BatchNorm("stray_bn")
        .Flatten("flatten")
        .Dense("logits", 3)
        .Build("Unexportable");

    [Fact]
    public void A_layer_without_a_TFLite_mapping_is_named_in_the_error()
    {
        using var model = BatchNormAfterPool();
        var e = Assert.Throws<ExportException>(() => TfLiteExporter.Export(model, new ExportOptions()));
        Assert.Equal("stray_bn", e.LayerName);
        Assert.StartsWith("Layer 'stray_bn' (BatchNorm): cannot be exported because", e.Message);
    }

    [Fact]
    public void BatchNorm_after_an_activated_layer_cannot_be_folded()
    {
        using var model = TestModels.Input(6).Dense("relu", 4, Activation.Relu).BatchNorm("bn").Build("ActivatedBn");
        var e = Assert.Throws<ExportException>(() => TfLiteExporter.Export(model, new ExportOptions()));
        Assert.Equal("bn", e.LayerName);
    }

    [Fact]
    public void A_failed_export_leaves_no_file_and_a_good_one_replaces_the_old_file_whole()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "model.tflite");
        File.WriteAllText(path, "old");
        using (var bad = BatchNormAfterPool())
            Assert.Throws<ExportException>(() => TfLiteExporter.ExportToFile(bad, path, new ExportOptions()));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));

        using var good = TestModels.Input(3).Dense("d", 2).Build("Good");
        TfLiteExporter.ExportToFile(good, path, new ExportOptions());
        Assert.Equal(TfLiteExporter.Export(good, new ExportOptions()), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void LiteRT_failures_surface_as_LiteRtException()
    {
        using var dir = new TempDirectory();
        using var model = TestModels.Input(3).Dense("d", 2).Build("Truncated");
        var bytes = TfLiteExporter.Export(model, new ExportOptions());
        var path = Path.Combine(dir.Path, "truncated.tflite");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Throws<Prune.LiteRt.LiteRtException>(() => LiteRtCheck.Runner.Run(path, [new float[3]]));
    }
}
