using System.Text.Json;

namespace Prune.Serving.Tests;

/// <summary>What the served files come from: a build with PruneOnnx=true writes each model's .onnx beside its .tflite and
/// checks it in ONNX Runtime.</summary>
[Collection(ServedModelsCollection.Name)]
public sealed class BuildOutputTests(BuiltModels models)
{
    [Fact]
    public void PruneOnnx_writes_the_onnx_beside_the_tflite_checked_in_ONNX_Runtime_within_1e_5()
    {
        Assert.Contains("ServedCnn: checking the .onnx file in ONNX Runtime", models.Build.Output);
        foreach (var onnx in new[] { models.First, models.Second })
        {
            Assert.True(File.Exists(onnx), onnx);
            Assert.True(File.Exists(Path.ChangeExtension(onnx, ".tflite")));
            using var report = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(onnx, ".report.json")));
            var check = report.RootElement.GetProperty("onnxRuntime");
            Assert.Equal(200, check.GetProperty("samples").GetInt32());
            Assert.InRange(check.GetProperty("maxAbsDifference").GetDouble(), 0, 1e-5);
            Assert.Equal(1.0, check.GetProperty("top1Agreement").GetDouble());
        }
    }
}
