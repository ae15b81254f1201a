using System.Text;

namespace Prune.Generators.Emitting;

/// <summary>Writes C# line by line with four-space indentation and LF line ends, whatever the machine.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/>, then <c>{</c>, and indents until <see cref="Close"/>.</summary>
    public CodeWriter Open(string header)
    {
        Line(header);
        return OpenWith("{");
    }

    /// <summary>Writes <paramref name="opening"/> alone (e.g. <c>[</c>) and indents until <see cref="Close"/>.</summary>
    public CodeWriter OpenWith(string opening)
    {
        Line(opening);
        _depth++;
        return this;
    }

    public CodeWriter Close(string closing = "}")
    {
        _depth--;
        return Line(closing);
    }

    public override string ToString() => _text.ToString();
}
