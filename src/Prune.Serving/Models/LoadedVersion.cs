using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Prune.Serving.Config;

namespace Prune.Serving.Models;

/// <summary>
/// One version of a model, loaded in ONNX Runtime and ready to predict. Requests lease it while they run: a version
/// that hot reload replaces is retired, and its session is disposed only when the last request using it has finished,
/// so a reload never fails a request in flight.
/// </summary>
internal sealed class LoadedVersion
{
    private readonly InferenceSession _session;
    private readonly Batcher? _batcher;
    private readonly Lock _lock = new();
    private int _leases;
    private bool _retired;
    private bool _disposed;

    private LoadedVersion(long version, InferenceSession session, ModelSignature signature, ServingOptions options, ServingMetrics metrics, string model)
    {
        Version = version;
        _session = session;
        Signature = signature;
        if (options.EnableBatching)
        {
            _batcher = new Batcher(RunNow, signature.Input.SampleSize, signature.Output.SampleSize, options.Batching, samples => metrics.BatchRan(model, samples));
        }
    }

    public long Version { get; }

    public ModelSignature Signature { get; }

    /// <summary>Loads <paramref name="bytes"/> (ONNX Runtime checks the graph) and checks it has one float input whose
    /// first dimension is a symbolic batch, and one float output.</summary>
    /// <exception cref="ConfigException">ONNX Runtime refuses the file, or its signature cannot be served.</exception>
    public static LoadedVersion Load(string model, long version, byte[] bytes, ServingOptions options, ServingMetrics metrics)
    {
        InferenceSession session;
        try
        {
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            session = new InferenceSession(bytes, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ConfigException($"ONNX Runtime cannot load it: {e.Message}");
        }
        try
        {
            var signature = new ModelSignature(Describe(session.InputMetadata, "input"), Describe(session.OutputMetadata, "output"));
            if (signature.Input.Shape[0] != -1)
                throw new ConfigException($"its input's first dimension is {signature.Input.Shape[0]}, not a symbolic batch dimension.");
            return new LoadedVersion(version, session, signature, options, metrics, model);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Takes a lease for one request; false when the version has been retired meanwhile.</summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            if (_retired) return false;
            _leases++;
            return true;
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _leases--;
            if (_retired && _leases == 0) DisposeOnce();
        }
    }

    /// <summary>No new requests; the session goes once the requests holding leases have finished.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
            if (_leases == 0) DisposeOnce();
        }
    }

    /// <summary>The outputs of <paramref name="count"/> samples (flattened, one after another), through the batcher when batching is on.</summary>
    public Task<float[]> Predict(float[] input, int count) => _batcher is { } batcher ? batcher.Run(input, count) : Task.FromResult(RunNow(input, count));

    private float[] RunNow(float[] input, int count)
    {
        // ONNX Runtime does not check: a disposed session would be used after its native memory is freed.
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var shape = Signature.Input.Shape.ToArray();
        shape[0] = count;
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [Signature.Input.Name], [value], [Signature.Output.Name]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private void DisposeOnce()
    {
        if (_disposed) return;
        _disposed = true;
        _batcher?.Complete();
        _session.Dispose();
    }

    private static TensorSignature Describe(IReadOnlyDictionary<string, NodeMetadata> nodes, string what)
    {
        if (nodes.Count != 1) throw new ConfigException($"it has {nodes.Count} {what}s; the server serves models with one {what}.");
        var (name, node) = nodes.Single();
        if (!node.IsTensor || node.ElementDataType != TensorElementType.Float)
            throw new ConfigException($"its {what} '{name}' is not a float tensor.");
        if (node.Dimensions.Length == 0) throw new ConfigException($"its {what} '{name}' has no batch dimension.");
        return new TensorSignature(name, node.Dimensions.Select(d => (long)d).ToArray());
    }
}
