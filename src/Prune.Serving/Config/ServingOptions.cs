namespace Prune.Serving.Config;

/// <summary>Which versions of a model are served (TensorFlow Serving's <c>model_version_policy</c>).</summary>
/// <param name="Latest">Serve the newest this many versions; null with <paramref name="Specific"/> or for all.</param>
/// <param name="Specific">Serve exactly these versions.</param>
public sealed record VersionPolicy(int? Latest, IReadOnlySet<long>? Specific = null)
{
    /// <summary>TensorFlow Serving's default: the newest version only.</summary>
    public static VersionPolicy LatestOne { get; } = new(1);

    /// <summary>Every version on disk.</summary>
    public static VersionPolicy All { get; } = new(Latest: null);
}

/// <summary>One served model: its name in URLs and where its versions are.</summary>
/// <param name="Name">The name clients use: <c>/v1/models/{Name}</c>.</param>
/// <param name="BasePath">A folder laid out as TensorFlow Serving expects (<c>{BasePath}/{version}/model.onnx</c>),
/// or one <c>.onnx</c> file (a build's output), served as version 1.</param>
/// <param name="Policy">Which versions are served.</param>
public sealed record ModelSource(string Name, string BasePath, VersionPolicy Policy);

/// <summary>How concurrent requests are merged into one ONNX Runtime call (TensorFlow Serving's <c>BatchingParameters</c>).</summary>
public sealed record BatchingParameters
{
    /// <summary>Most samples in one merged call.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>How long the first request of a batch waits for others; zero merges only what is already queued.</summary>
    public TimeSpan BatchTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Batches that may wait; beyond that a request is refused with 503 (UNAVAILABLE).</summary>
    public int MaxEnqueuedBatches { get; init; } = 100;

    /// <summary>Batches run at once (one ONNX Runtime call each).</summary>
    public int NumBatchThreads { get; init; } = Environment.ProcessorCount;
}

/// <summary>Everything the server needs; <c>dotnet prune serve</c> builds it from TensorFlow Serving's flags.</summary>
public sealed record ServingOptions
{
    /// <summary>The served models.</summary>
    public required IReadOnlyList<ModelSource> Models { get; init; }

    /// <summary>Seconds between two looks for new versions; 0 looks once at start.</summary>
    public int FileSystemPollWaitSeconds { get; init; } = 1;

    /// <summary>Merge concurrent requests into one ONNX Runtime call (off by default, as in TensorFlow Serving).</summary>
    public bool EnableBatching { get; init; }

    /// <summary>The batching's limits, when <see cref="EnableBatching"/> is on.</summary>
    public BatchingParameters Batching { get; init; } = new();

    /// <summary>Largest request body accepted; a larger one is answered 413.</summary>
    public long MaxRequestBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How long a predict request may take before it is answered 504 (DEADLINE_EXCEEDED).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
