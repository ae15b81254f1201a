using Prune.Pipeline;
using Prune.Specs;

namespace Prune.Runtime.Tests.Pipeline;

/// <summary>Keeps what the pipeline said, for assertions.</summary>
internal sealed class RecordingLog : IPipelineLog
{
    public List<string> Lines { get; } = [];

    public List<PipelineWarning> Warnings { get; } = [];

    public void Progress(string message) => Lines.Add(message);

    public void Info(string message) => Lines.Add(message);

    public void Warning(PipelineWarning warning, string message, SourceLocation? source = null)
    {
        Warnings.Add(warning);
        Lines.Add(message);
    }
}
