using Microsoft.ML.OnnxRuntime;

namespace Prune.Serving.Tests;

/// <summary>A model's answer computed directly in ONNX Runtime, to tell which version the server answered from.</summary>
internal static class Reference
{
    public static float[] Probabilities(string onnxPath, float[] image)
    {
        using var session = new InferenceSession(onnxPath);
        using var input = OrtValue.CreateTensorValueFromMemory(image, [1, 1, 28, 28]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["input"], [input], ["probabilities"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static bool Close(float[] a, float[] b) => a.Length == b.Length && a.Zip(b, (x, y) => Math.Abs(x - y)).Max() <= 1e-6;
}
