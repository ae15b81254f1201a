using Prune.Build.Protocol;
using Prune.Pipeline;

namespace Prune.Host;

/// <summary>Maps the pipeline's failures and warnings to the build's codes (docs/build-errors.md).</summary>
internal static class ErrorCodes
{
    public static string For(PipelineFailure failure) => failure switch
    {
        PipelineFailure.DataNotFound => BuildErrorCodes.DataNotFound,
        PipelineFailure.DataInvalid => BuildErrorCodes.DataInvalid,
        PipelineFailure.DataDoesNotFitModel => BuildErrorCodes.DataDoesNotFitModel,
        PipelineFailure.TrainingDiverged => BuildErrorCodes.TrainingDiverged,
        PipelineFailure.InvalidPruningSettings => BuildErrorCodes.InvalidPruningSettings,
        PipelineFailure.ExportFailed => BuildErrorCodes.ExportFailed,
        PipelineFailure.LiteRtMismatch => BuildErrorCodes.LiteRtMismatch,
        PipelineFailure.OutputNotWritable => BuildErrorCodes.FolderNotWritable,
        PipelineFailure.OnnxMismatch => BuildErrorCodes.OnnxMismatch,
        PipelineFailure.InvalidSpec => BuildErrorCodes.InvalidSpec,
        PipelineFailure.PretrainedNotReadable => BuildErrorCodes.PretrainedNotReadable,
        PipelineFailure.PretrainedDoesNotFit => BuildErrorCodes.PretrainedDoesNotFit,
        _ => BuildErrorCodes.InternalError,
    };

    public static string For(PipelineWarning warning) => warning switch
    {
        PipelineWarning.LiteRtUnavailable => BuildErrorCodes.LiteRtUnavailable,
        PipelineWarning.ScheduleNotCompleted => BuildErrorCodes.ScheduleNotCompleted,
        PipelineWarning.QuantizationDegraded => BuildErrorCodes.QuantizationDegraded,
        PipelineWarning.BaselineLearnedNothing => BuildErrorCodes.BaselineLearnedNothing,
        _ => BuildErrorCodes.InternalError,
    };
}
