using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Prune.Serving;

/// <summary>
/// The server's own instruments, on the <see cref="MeterName"/> meter beside ASP.NET Core's (request counts and
/// durations): predictions per model and outcome, their latency, the size of the batches ONNX Runtime ran, and
/// model versions that failed to load. <c>/metrics</c> exports them in Prometheus' text format.
/// </summary>
public sealed class ServingMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Prune.Serving";

    private readonly Meter _meter;
    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _latency;
    private readonly Histogram<long> _batchSize;
    private readonly Counter<long> _loadFailures;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public ServingMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _predictions = _meter.CreateCounter<long>("prune.serving.predictions", "{request}", "Predict requests, by model and outcome (HTTP status).");
        _latency = _meter.CreateHistogram("prune.serving.predict.duration", "s", "Time from a predict request's arrival to its answer, by model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _batchSize = _meter.CreateHistogram("prune.serving.batch.size", "{sample}", "Samples in each ONNX Runtime call when batching is on, by model.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _loadFailures = _meter.CreateCounter<long>("prune.serving.load.failures", "{version}", "Model versions that could not be loaded, by model.");
    }

    internal void Predicted(string model, int status, TimeSpan elapsed)
    {
        var tags = new TagList { { "model", model }, { "status", status } };
        _predictions.Add(1, tags);
        _latency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("model", model));
    }

    internal void BatchRan(string model, int samples) => _batchSize.Record(samples, new KeyValuePair<string, object?>("model", model));

    internal void LoadFailed(string model) => _loadFailures.Add(1, new KeyValuePair<string, object?>("model", model));

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
