namespace Prune.Specs;

/// <summary>The pretrained weights a model starts from, as declared with <see cref="PretrainedAttribute"/>.</summary>
public sealed record PretrainedSpec
{
    /// <summary>The ONNX model or PyTorch checkpoint, as written: relative to the project folder (or to <c>PrunePretrainedDir</c>).</summary>
    public required string Path { get; init; }

    /// <summary>Whether the file provides the head too; false loads only the backbone: the layers before the model's
    /// first Dense layer, or up to where the file's graph ends.</summary>
    public bool IncludeTop { get; init; } = true;

    /// <summary>Baseline epochs during which the loaded layers do not train: only the head learns at first.</summary>
    public int FreezeEpochs { get; init; }
}
