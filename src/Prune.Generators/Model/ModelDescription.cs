namespace Prune.Generators.Model;

/// <summary>
/// One checked model, everything the emitter needs and nothing else: plain values with structural equality,
/// so the incremental pipeline recognises an unchanged model and skips emitting it again.
/// </summary>
/// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
/// <param name="ClassName">The class name as declared.</param>
/// <param name="InputShape">One sample's shape.</param>
/// <param name="Layers">The layers in declaration order, with inferred shapes.</param>
/// <param name="Training">The training settings, defaults filled in.</param>
/// <param name="Source">Where the [Model] attribute stands.</param>
internal sealed record ModelDescription(
    string? Namespace,
    string ClassName,
    EquatableArray<int> InputShape,
    EquatableArray<LayerDescription> Layers,
    TrainingDescription Training,
    SourceSpot Source)
{
    /// <summary>The namespace-qualified name, as <c>ModelSpec.TypeName</c> holds it.</summary>
    public string TypeName => Namespace is null ? ClassName : Namespace + "." + ClassName;
}

/// <summary>One layer: its field, kind, checked shapes, parameter count, arguments and pruning.</summary>
internal sealed record LayerDescription(
    string FieldName,
    LayerKind Kind,
    LayerArguments Arguments,
    EquatableArray<int> InputShape,
    EquatableArray<int> OutputShape,
    long ParameterCount,
    PruningDescription? Pruning,
    SourceSpot Source);

/// <summary>The layer kinds, named like their attributes without the suffix.</summary>
internal enum LayerKind
{
    Conv2D,
    DepthwiseConv2D,
    MaxPool2D,
    AveragePool2D,
    GlobalAveragePool2D,
    Flatten,
    Dense,
    Dropout,
    BatchNorm,
}

/// <summary>
/// A layer attribute's arguments, defaults filled in; each kind uses its own subset. Enum values are kept as
/// member names (e.g. <c>Relu</c>) so the emitter writes them without knowing the runtime's enums.
/// </summary>
internal sealed record LayerArguments
{
    public int Filters { get; init; }
    public int Units { get; init; }
    public int KernelSize { get; init; }
    public int DepthMultiplier { get; init; }
    public int PoolSize { get; init; }
    public int Stride { get; init; }
    public string Padding { get; init; } = "Valid";
    public string Activation { get; init; } = "None";
    public bool UseBias { get; init; }
    public double Rate { get; init; }
    public double Momentum { get; init; }
    public double Epsilon { get; init; }
}

/// <summary>How a layer is pruned: a schedule, and optionally a block or m:n pattern.</summary>
internal sealed record PruningDescription(ScheduleDescription Schedule, BlockDescription? Block, MByNDescription? MByN);

/// <summary>A tfmot schedule: <c>ConstantSparsity</c> (Initial unused) or <c>PolynomialDecay</c>.</summary>
internal sealed record ScheduleDescription(
    bool IsPolynomial, double InitialSparsity, double FinalSparsity, int BeginStep, int EndStep, double Power, int Frequency);

/// <summary>Block sparsity over the 2-D weight view.</summary>
internal sealed record BlockDescription(int Height, int Width, string Pooling);

/// <summary>Keep m of every n consecutive weights.</summary>
internal sealed record MByNDescription(int M, int N);

/// <summary>Training settings; <c>FineTuneLearningRate</c> is already resolved from NaN to a tenth of the rate.</summary>
internal sealed record TrainingDescription(
    string Optimizer, double LearningRate, double FineTuneLearningRate, double Momentum, int BatchSize, int Epochs,
    int FineTuneEpochs, int Seed);

/// <summary>The parser's answer for one [Model] class: the model when it has no errors, and every diagnostic.</summary>
internal sealed record ParseResult(ModelDescription? Model, EquatableArray<DiagnosticInfo> Diagnostics);
