using Prune.LiteRt;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Export;

/// <summary>Exports a model, runs it in LiteRT (one Node process for all samples) and runs it in TorchSharp.</summary>
internal static class LiteRtCheck
{
    private static readonly Lazy<LiteRtRunner> LazyRunner = new(LiteRtRunner.Locate);

    public static LiteRtRunner Runner => LazyRunner.Value;

    /// <summary>Seeded inputs in [0, 1) of the model's shape.</summary>
    public static Tensor Inputs(Model model, int count, int seed = 11)
    {
        using var generator = new Generator((ulong)seed);
        return rand(model.Spec.InputShape.WithBatch(count), generator: generator);
    }

    public static float[] Torch(Model model, Tensor inputs)
    {
        using var _ = no_grad();
        using var y = model.call(inputs);
        using var single = y.to(float32);     // a model moved to float64 too
        return single.contiguous().data<float>().ToArray();
    }

    /// <summary>The LiteRT outputs of <paramref name="tflite"/> for <paramref name="inputs"/> (NCHW, converted here).</summary>
    public static float[] LiteRt(byte[] tflite, Model model, Tensor inputs, string directory)
    {
        var path = Path.Combine(directory, $"{model.Spec.Name}-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(path, tflite);
        var flat = inputs.contiguous().data<float>().ToArray();
        var shape = model.Spec.InputShape;
        if (shape.Rank == 3) flat = LiteRtRunner.NchwToNhwc(flat, shape[0], shape[1], shape[2]);
        return Runner.Run(path, flat, (int)inputs.shape[0]);
    }

    public static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    public static int[] ArgMax(float[] values, int classes) =>
        Enumerable.Range(0, values.Length / classes).Select(i =>
        {
            var row = values.AsSpan(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            return best;
        }).ToArray();
}

/// <summary>A temporary directory removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("prune-export-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
