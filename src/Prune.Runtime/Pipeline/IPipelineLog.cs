using Prune.Specs;
using Prune.Training;

namespace Prune.Pipeline;

/// <summary>Warnings the pipeline raises; the build turns each into a coded warning.</summary>
internal enum PipelineWarning
{
    /// <summary>Node.js or LiteRT is not available, so the exported files were not checked.</summary>
    LiteRtUnavailable,
    /// <summary>Fine-tuning ends before the pruning schedule does, so the final sparsity is not reached.</summary>
    ScheduleNotCompleted,
    /// <summary>The int8 file agrees with the float model less than expected.</summary>
    QuantizationDegraded,
    /// <summary>The baseline is no more accurate than always answering the most common class: it learned nothing.</summary>
    BaselineLearnedNothing,
}

/// <summary>Where the pipeline says what it is doing. The build's host prints these as protocol lines.</summary>
internal interface IPipelineLog
{
    /// <summary>A milestone worth a line at normal verbosity (a phase, an epoch).</summary>
    void Progress(string message);

    /// <summary>Detail for the detailed log.</summary>
    void Info(string message);

    /// <summary>Something the user should know; the build goes on.</summary>
    void Warning(PipelineWarning warning, string message, SourceLocation? source = null);

    /// <summary>Every training step, for a progress display (the build shows epochs only and ignores it).</summary>
    void Step(TrainingProgress progress)
    {
    }
}
