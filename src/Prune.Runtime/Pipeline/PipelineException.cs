using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>What went wrong, in terms a build can turn into an error code.</summary>
internal enum PipelineFailure
{
    /// <summary>The data could not be found or fetched.</summary>
    DataNotFound,
    /// <summary>The data is corrupt, truncated or malformed.</summary>
    DataInvalid,
    /// <summary>The data's sample shape or classes do not fit the model.</summary>
    DataDoesNotFitModel,
    /// <summary>The loss became NaN or infinite.</summary>
    TrainingDiverged,
    /// <summary>The model's pruning settings cannot be applied to its weights.</summary>
    InvalidPruningSettings,
    /// <summary>A layer cannot be exported.</summary>
    ExportFailed,
    /// <summary>LiteRT computes something other than the TorchSharp model.</summary>
    LiteRtMismatch,
    /// <summary>The output folder cannot be created or written.</summary>
    OutputNotWritable,
    /// <summary>ONNX Runtime refuses the .onnx file or computes something other than the TorchSharp model.</summary>
    OnnxMismatch,
    /// <summary>The model's spec breaks a rule the generator checks (it was written by hand).</summary>
    InvalidSpec,
    /// <summary>The pretrained weights file is missing or unreadable.</summary>
    PretrainedNotReadable,
    /// <summary>The pretrained weights file does not fit the declared model.</summary>
    PretrainedDoesNotFit,
}

/// <summary>A failure of the pipeline that the user can act on: what went wrong, and where when it is about a declaration.</summary>
internal sealed class PipelineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PipelineException(PipelineFailure failure, string message, SourceLocation? source = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Source = source;
    }

    /// <summary>What went wrong.</summary>
    public PipelineFailure Failure { get; }

    /// <summary>The declaration it is about (the model's or a layer's attribute), when there is one.</summary>
    public new SourceLocation? Source { get; }
}
