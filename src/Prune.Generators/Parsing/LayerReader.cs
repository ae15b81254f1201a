using Prune.Generators.Diagnostics;
using Prune.Generators.Specs;
using Prune.Specs.Rules;

namespace Prune.Generators.Parsing;

/// <summary>
/// One layer attribute as its <see cref="LayerKind"/> reads it: arguments by parameter name (the compiler fills in the
/// defaults), enum arguments checked against their members, and the input shape once every argument could be read.
/// </summary>
internal sealed class LayerReader(string layer, AttributeArguments attribute, EquatableArray<int>? input, DiagnosticList diagnostics)
{
    private int _errors;

    /// <summary>The layer's name: its field.</summary>
    public string Layer => layer;

    /// <summary>The input shape, or null when it is unknown (an earlier layer did not fit) or an argument could not be read.</summary>
    public int[]? Input => _errors == 0 && input is { } known ? [.. known] : null;

    public bool HasErrors => _errors > 0;

    public int Int(string name) => attribute.Int(name, 0);

    public double Double(string name) => attribute.Double(name, 0);

    public bool Bool(string name) => attribute.Bool(name, false);

    /// <summary>An enum argument's member name; a value that names no member is reported (PRUNE023) and read as <paramref name="fallback"/>.</summary>
    public string Enum(string name, string fallback)
    {
        var value = attribute.Enum(name, fallback);
        if (value.Member is not null) return value.Member;
        diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, attribute.Where, value.Written, value.TypeName, value.KnownMembers);
        _errors++;
        return fallback;
    }

    /// <summary>Reports an argument that the attribute, not the spec, refuses (PRUNE009).</summary>
    public void Fail(string message)
    {
        diagnostics.Add(new Problem(Rule.InvalidLayerArgument, message), attribute.Where);
        _errors++;
    }
}
