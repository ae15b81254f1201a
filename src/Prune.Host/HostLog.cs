using System.Text.Json;
using Prune.Build.Protocol;
using Prune.Pipeline;
using Prune.Specs;
using Prune.Sweep;

namespace Prune.Host;

/// <summary>Speaks the build's protocol on stdout: every pipeline message becomes one <see cref="HostMessage"/> line; a
/// sweep's statuses and points go as JSON.</summary>
internal sealed class HostLog : ISweepLog
{
    public void Progress(string message) => Write(HostMessage.Plain(HostMessageKind.Progress, message));

    public void Info(string message) => Write(HostMessage.Plain(HostMessageKind.Info, message));

    public void Warning(PipelineWarning warning, string message, SourceLocation? source = null) =>
        Write(At(HostMessageKind.Warning, ErrorCodes.For(warning), message, source));

    public void Error(string code, string message, SourceLocation? source = null) =>
        Write(At(HostMessageKind.Error, code, message, source));

    public void Output(string path) => Write(HostMessage.Plain(HostMessageKind.Output, path));

    public void Status(SweepStatus status) => Write(HostMessage.Plain(HostMessageKind.Status, JsonSerializer.Serialize(status, SweepReport.LineJsonOptions)));

    public void Finished(SweepPoint point) => Write(HostMessage.Plain(HostMessageKind.Result, JsonSerializer.Serialize(point, SweepReport.LineJsonOptions)));

    private static HostMessage At(HostMessageKind kind, string code, string message, SourceLocation? source) =>
        new(kind, code, source?.FilePath ?? "", source?.Line ?? 0, source?.Column ?? 0, message);

    private static void Write(HostMessage message)
    {
        Console.Out.WriteLine(message.Format());
        Console.Out.Flush();
    }
}
