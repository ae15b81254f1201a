using Prune.Generators.Diagnostics;
using Prune.Generators.Specs;
using Prune.Specs.Rules;

namespace Prune.Generators.Parsing;

/// <summary>
/// One layer's arguments as its <see cref="LayerKind"/> reads them: by parameter name (the compiler fills in an
/// attribute's defaults; a block gives every one), enum arguments checked against their members, the input shape once
/// every argument could be read, and the other layers it reads (an Add's shortcut). Problems go at <paramref name="where"/>:
/// the layer's attribute, or the block's that expanded to it.
/// </summary>
internal sealed class LayerReader(string layer, IArguments arguments, SourceSpot where, EquatableArray<int>? input,
    DeclaredLayers declared, DiagnosticList diagnostics)
{
    private readonly List<string> _otherInputs = [];
    private int _errors;

    /// <summary>The layer's name.</summary>
    public string Layer => layer;

    /// <summary>The input shape, or null when it is unknown (an earlier layer did not fit) or an argument could not be read.</summary>
    public int[]? Input => _errors == 0 && input is { } known ? [.. known] : null;

    public bool HasErrors => _errors > 0;

    /// <summary>The layers read by <see cref="Reads"/> (an Add's shortcut), besides the input, in order.</summary>
    public IReadOnlyList<string> OtherInputs => _otherInputs;

    public int Int(string name) => arguments.Int(name, 0);

    public double Double(string name) => arguments.Double(name, 0);

    public bool Bool(string name) => arguments.Bool(name, false);

    /// <summary>An enum argument's member name; a value that names no member is reported (PRUNE023) and read as <paramref name="fallback"/>.</summary>
    public string Enum(string name, string fallback)
    {
        var value = arguments.Enum(name, fallback);
        if (value.Member is not null) return value.Member;
        diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, where, value.Written, value.TypeName, value.KnownMembers);
        _errors++;
        return fallback;
    }

    /// <summary>
    /// The layer the argument <paramref name="name"/> names (a <c>nameof(field)</c>) and its output shape; the shape is
    /// null when it is unknown, and the name too when it is no earlier layer (PRUNE034, reported).
    /// </summary>
    public (string? Layer, int[]? Shape) Reads(string name)
    {
        var source = declared.Read(layer, name, arguments.String(name) ?? "", where, diagnostics);
        if (source?.Layer is { } read) _otherInputs.Add(read);
        return (source?.Layer, source?.Shape is { } shape ? [.. shape] : null);
    }

    /// <summary>Reports an argument that the attribute, not the spec, refuses (PRUNE009).</summary>
    public void Fail(string message)
    {
        diagnostics.Add(new Problem(Rule.InvalidLayerArgument, message), where);
        _errors++;
    }
}
