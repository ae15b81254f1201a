using Microsoft.ML.OnnxRuntime;

namespace Prune.Onnx;

/// <summary>
/// Runs an <c>.onnx</c> file in ONNX Runtime, the judge of every ONNX file Prune writes, as LiteRT is of every
/// <c>.tflite</c>: the session is created with ONNX Runtime's own loading checks (a malformed graph throws here),
/// then batches run through the graph's first input and output.
/// </summary>
internal sealed class OnnxRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;

    /// <exception cref="OnnxRuntimeException">ONNX Runtime refuses the file.</exception>
    public OnnxRunner(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(model, options);
        _input = _session.InputNames[0];
        _output = _session.OutputNames[0];
    }

    /// <summary>The input's shape, -1 where a dimension is symbolic.</summary>
    public IReadOnlyList<int> InputShape => _session.InputMetadata[_input].Dimensions;

    /// <summary>Runs <paramref name="count"/> samples, flattened one after another in the input's layout, as one
    /// batch; returns the outputs flattened the same way.</summary>
    public float[] Run(float[] samples, int count)
    {
        var shape = InputShape.Select(d => (long)d).ToArray();
        shape[0] = count;
        using var input = OrtValue.CreateTensorValueFromMemory(samples, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_input], [input], [_output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
