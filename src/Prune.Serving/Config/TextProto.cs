using System.Globalization;
using System.Text;

namespace Prune.Serving.Config;

/// <summary>
/// A field of a protobuf text-format message, as TensorFlow Serving's configuration files are written
/// (<c>--model_config_file</c>, <c>--batching_parameters_file</c>): a scalar (<c>name: 'x'</c>, <c>max_batch_size { value: 8 }</c>'s
/// <c>value: 8</c>) or a nested message (<c>config { ... }</c>).
/// </summary>
internal sealed record TextProtoField(string Name, string? Scalar, IReadOnlyList<TextProtoField>? Message, int Line);

/// <summary>
/// Reads the subset of protobuf's text format that TensorFlow Serving's configuration files use: fields
/// <c>name: value</c> and <c>name { ... }</c> (or <c>name: { ... }</c>), values quoted with <c>'</c> or <c>"</c> or bare
/// (numbers, enums, true/false), <c>#</c> comments, optional <c>,</c>/<c>;</c> separators. Google.Protobuf for C# has
/// no text-format parser, and the schemas behind these files are small.
/// </summary>
internal static class TextProto
{
    public static IReadOnlyList<TextProtoField> Parse(string text, string source)
    {
        var position = 0;
        var line = 1;
        var fields = ParseFields(text, ref position, ref line, source, nested: false);
        return fields;
    }

    private static List<TextProtoField> ParseFields(string text, ref int position, ref int line, string source, bool nested)
    {
        var fields = new List<TextProtoField>();
        while (true)
        {
            SkipSpace(text, ref position, ref line);
            if (position >= text.Length)
            {
                if (nested) throw Error(source, line, "a '{' is not closed");
                return fields;
            }
            if (text[position] == '}')
            {
                if (!nested) throw Error(source, line, "'}' without a matching '{'");
                position++;
                return fields;
            }
            var nameLine = line;
            var name = ReadIdentifier(text, ref position);
            if (name.Length == 0) throw Error(source, line, $"expected a field name, found '{text[position]}'");
            SkipSpace(text, ref position, ref line);
            var colon = position < text.Length && text[position] == ':';
            if (colon)
            {
                position++;
                SkipSpace(text, ref position, ref line);
            }
            if (position < text.Length && (text[position] == '{' || text[position] == '<'))
            {
                position++;
                fields.Add(new TextProtoField(name, null, ParseFields(text, ref position, ref line, source, nested: true), nameLine));
            }
            else if (colon)
            {
                fields.Add(new TextProtoField(name, ReadScalar(text, ref position, line, source), null, nameLine));
            }
            else
            {
                throw Error(source, line, $"expected ':' or '{{' after '{name}'");
            }
            SkipSpace(text, ref position, ref line);
            if (position < text.Length && text[position] is ',' or ';') position++;
        }
    }

    private static string ReadScalar(string text, ref int position, int line, string source)
    {
        if (position >= text.Length) throw Error(source, line, "a value is missing");
        var quote = text[position];
        if (quote is '\'' or '"')
        {
            var value = new StringBuilder();
            for (position++; position < text.Length && text[position] != quote; position++)
            {
                if (text[position] == '\n') throw Error(source, line, "a quoted value runs past the end of its line");
                if (text[position] == '\\' && position + 1 < text.Length) position++;
                value.Append(text[position]);
            }
            if (position >= text.Length) throw Error(source, line, "a quoted value is not closed");
            position++;
            return value.ToString();
        }
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '-' or '+' or '.' or '_')) position++;
        if (start == position) throw Error(source, line, $"expected a value, found '{text[position]}'");
        return text[start..position];
    }

    private static string ReadIdentifier(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_')) position++;
        return text[start..position];
    }

    private static void SkipSpace(string text, ref int position, ref int line)
    {
        while (position < text.Length)
        {
            if (text[position] == '#')
            {
                while (position < text.Length && text[position] != '\n') position++;
                continue;
            }
            if (!char.IsWhiteSpace(text[position])) return;
            if (text[position] == '\n') line++;
            position++;
        }
    }

    private static ConfigException Error(string source, int line, string what) => new($"{source}, line {line.ToString(CultureInfo.InvariantCulture)}: {what}.");
}

/// <summary>A configuration file or flag the server cannot use; the message says what and where.</summary>
public sealed class ConfigException(string message) : Exception(message);
