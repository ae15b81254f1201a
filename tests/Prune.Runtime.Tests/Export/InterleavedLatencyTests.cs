using Prune.Export;
using Prune.LiteRt;

namespace Prune.Runtime.Tests.Export;

/// <summary>
/// Latencies compared side by side: one Node process times several files in turn, so their ratio is measured in one
/// run on a shared machine (the filter-pruning benchmark's dense-versus-pruned speed-up).
/// </summary>
public class InterleavedLatencyTests
{
    [Fact]
    public void Files_timed_in_turn_each_get_their_runs_and_a_much_larger_model_is_slower()
    {
        using var dir = new TempDirectory();
        using var small = TestModels.Input(1, 28, 28).Flatten("flatten").Dense("logits", 10).Build("Small");
        using var large = TestModels.Input(1, 28, 28)
            .Conv("conv1", 32, 3, padding: Padding.Same, activation: Activation.Relu)
            .Conv("conv2", 32, 3, padding: Padding.Same, activation: Activation.Relu)
            .GlobalAvgPool("pool").Dense("logits", 10).Build("Large");
        var smallPath = Path.Combine(dir.Path, "small.tflite");
        var largePath = Path.Combine(dir.Path, "large.tflite");
        File.WriteAllBytes(smallPath, TfLiteExporter.Export(small, new ExportOptions()));
        File.WriteAllBytes(largePath, TfLiteExporter.Export(large, new ExportOptions()));

        var latencies = LiteRtCheck.Runner.TimeInterleaved([smallPath, largePath], new float[28 * 28], new LatencyRuns(5, 40));

        Assert.Equal(2, latencies.Count);
        Assert.All(latencies, l => Assert.Equal(40, l.Runs));
        // 7,840 multiply-accumulates against about 7.6 million; a run's fixed cost (making the tensors) is most of the
        // small model's time: 4.0x was measured on a loaded machine.
        Assert.True(latencies[1].P50Ms > 2 * latencies[0].P50Ms, $"large p50 {latencies[1].P50Ms} ms, small {latencies[0].P50Ms} ms");
    }

    [Fact]
    public void A_file_whose_input_does_not_fit_the_sample_is_refused_by_name()
    {
        using var dir = new TempDirectory();
        using var model = TestModels.Input(12).Dense("logits", 3).Build("Twelve");
        var path = Path.Combine(dir.Path, "twelve.tflite");
        File.WriteAllBytes(path, TfLiteExporter.Export(model, new ExportOptions()));

        var error = Assert.Throws<LiteRtException>(() => LiteRtCheck.Runner.TimeInterleaved([path], new float[10], new LatencyRuns(0, 1)));

        Assert.Contains("twelve.tflite", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 12 values; the sample has 10", error.Message, StringComparison.Ordinal);
    }
}
