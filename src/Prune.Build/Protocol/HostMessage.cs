namespace Prune.Build.Protocol;

/// <summary>How serious a <see cref="HostMessage"/> is.</summary>
public enum HostMessageKind
{
    /// <summary>Training progress: a few lines per model, shown at normal verbosity.</summary>
    Progress,
    /// <summary>Detail, shown at detailed verbosity.</summary>
    Info,
    /// <summary>A build warning.</summary>
    Warning,
    /// <summary>A build error: the build fails.</summary>
    Error,
    /// <summary>A file the host wrote (for FileWrites, so that Clean removes it).</summary>
    Output,
    /// <summary>A sweep's position (JSON), for the tool's progress bars; the build never asks for a sweep.</summary>
    Status,
    /// <summary>A sweep point finished (JSON), for the tool's table.</summary>
    Result,
}

/// <summary>
/// One line from the pipeline host to the MSBuild task. The host runs in a child process (EF Core's
/// design-time pattern), so everything it has to say crosses stdout as text: one message per line,
/// tab-separated, behind a prefix no library prints by accident. Lines without the prefix are passed
/// through as low-importance messages.
/// </summary>
/// <param name="Kind">The message's kind.</param>
/// <param name="Code">The error or warning code (PRB…), or empty.</param>
/// <param name="File">The source file the message is about, or empty.</param>
/// <param name="Line">1-based line in <paramref name="File"/>, or 0.</param>
/// <param name="Column">1-based column, or 0.</param>
/// <param name="Text">The message, on one line.</param>
public sealed record HostMessage(HostMessageKind Kind, string Code, string File, int Line, int Column, string Text)
{
    /// <summary>Marks a protocol line.</summary>
    public const string Prefix = "##prune";

    /// <summary>A message with no code and no location.</summary>
    public static HostMessage Plain(HostMessageKind kind, string text) => new(kind, "", "", 0, 0, text);

    /// <summary>The message as one protocol line; tabs and line breaks in fields become spaces.</summary>
    public string Format() => string.Join('\t', Prefix, Kind.ToString().ToLowerInvariant(), Clean(Code), Clean(File),
        Line.ToString(System.Globalization.CultureInfo.InvariantCulture), Column.ToString(System.Globalization.CultureInfo.InvariantCulture), Clean(Text));

    /// <summary>Reads a protocol line; null when <paramref name="line"/> is not one.</summary>
    public static HostMessage? TryParse(string line)
    {
        if (!line.StartsWith(Prefix + "\t", StringComparison.Ordinal)) return null;
        var fields = line.Split('\t', 7);
        if (fields.Length != 7 || !Enum.TryParse<HostMessageKind>(fields[1], ignoreCase: true, out var kind)) return null;
        _ = int.TryParse(fields[4], System.Globalization.CultureInfo.InvariantCulture, out var lineNumber);
        _ = int.TryParse(fields[5], System.Globalization.CultureInfo.InvariantCulture, out var column);
        return new HostMessage(kind, fields[2], fields[3], lineNumber, column, fields[6]);
    }

    private static string Clean(string field) => field.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
