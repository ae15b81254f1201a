using static TorchSharp.torch;

namespace Prune.Export;

/// <summary>How pruned weights are stored in the file.</summary>
public enum WeightStorage
{
    /// <summary>Per weight tensor, sparse when that makes the file smaller, dense otherwise.</summary>
    Auto,
    /// <summary>Every weight dense.</summary>
    Dense,
    /// <summary>Every weight tensor that holds at least one zero stored sparse.</summary>
    Sparse,
}

/// <summary>What <see cref="TfLiteExporter"/> writes.</summary>
public sealed record ExportOptions
{
    /// <summary>Full-integer int8 quantization (float input and output); needs <see cref="RepresentativeInputs"/>.</summary>
    public bool Int8 { get; init; }

    /// <summary>Calibration samples for <see cref="Int8"/>: NCHW (or [N, F]) floats as the model takes them, e.g. 200–500 training samples.</summary>
    public Tensor? RepresentativeInputs { get; init; }

    /// <summary>Dense or sparse storage of weights.</summary>
    public WeightStorage Storage { get; init; } = WeightStorage.Auto;

    /// <summary>The model description written into the file; defaults to the model's name.</summary>
    public string? Description { get; init; }

    /// <summary>Extra metadata entries (name to UTF-8 text) written beside Prune's own.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
