namespace Prune.Generators.Specs;

/// <summary>
/// One checked model, the compile-time form of the runtime's <c>Prune.Specs.ModelSpec</c>: everything the emitter
/// needs and nothing else, plain values with structural equality, so the incremental pipeline recognises an unchanged
/// model and skips emitting it again.
/// </summary>
/// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
/// <param name="ClassName">The class name as declared.</param>
/// <param name="InputShape">One sample's shape.</param>
/// <param name="Layers">The layers in declaration order, with inferred shapes.</param>
/// <param name="Training">The training settings, defaults filled in.</param>
/// <param name="Source">Where the [Model] attribute stands.</param>
internal sealed record ModelSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<int> InputShape,
    EquatableArray<LayerSpec> Layers,
    TrainingSpec Training,
    SourceSpot Source)
{
    /// <summary>The pretrained weights declared with [Pretrained], or null.</summary>
    public PretrainedSpec? Pretrained { get; init; }

    /// <summary>The input normalization declared with [Normalize], or null.</summary>
    public NormalizationSpec? Normalization { get; init; }

    /// <summary>The namespace-qualified name, as <c>ModelSpec.TypeName</c> holds it.</summary>
    public string TypeName => Namespace is null ? ClassName : Namespace + "." + ClassName;
}

/// <summary>[Pretrained]: the file as written, and its settings.</summary>
internal sealed record PretrainedSpec(string Path, bool IncludeTop, int FreezeEpochs);

/// <summary>[Normalize]: per-channel mean and std in pixel values, as written (one value, or one per channel).</summary>
internal sealed record NormalizationSpec(EquatableArray<double> Mean, EquatableArray<double> Std);

/// <summary>The parser's answer for one [Model] class: the model when it has no errors, and every diagnostic.</summary>
internal sealed record ParseResult(ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics);
