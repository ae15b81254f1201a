namespace Prune.Pretrained;

/// <summary>What is wrong with a pretrained weights file.</summary>
internal enum PretrainedProblem
{
    /// <summary>No file at the path.</summary>
    NotFound,
    /// <summary>The file is not a readable ONNX model or PyTorch checkpoint (truncated, corrupt, another format).</summary>
    Unreadable,
    /// <summary>The file's layers or shapes are not the declared model's.</summary>
    DoesNotFit,
}

/// <summary>A pretrained weights file that cannot be loaded into the declared model; the message names the file and,
/// for a mismatch, the layer and both shapes or kinds.</summary>
internal sealed class PretrainedWeightsException(PretrainedProblem problem, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What is wrong.</summary>
    public PretrainedProblem Problem { get; } = problem;
}
