namespace Prune.Generators.Parsing;

/// <summary>
/// A layer's arguments by parameter name, as a <see cref="LayerKind"/> reads them: written in an attribute
/// (<see cref="AttributeArguments"/>), or chosen by a block for the layers it expands to (<see cref="FixedArguments"/>).
/// </summary>
internal interface IArguments
{
    int Int(string name, int fallback);

    double Double(string name, double fallback);

    bool Bool(string name, bool fallback);

    /// <summary>A string argument (a <c>nameof(field)</c>), or null when it is not given.</summary>
    string? String(string name);

    /// <summary>An enum argument: its member name, or null with a description when no member has that value.</summary>
    EnumArgument Enum(string name, string fallback);
}

/// <summary>Arguments a block chose for one of its layers: numbers, flags, names, and enum members by name.</summary>
internal sealed class FixedArguments(IReadOnlyDictionary<string, object> values) : IArguments
{
    public int Int(string name, int fallback) => values.TryGetValue(name, out var value) && value is int i ? i : fallback;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var value) && value is double d ? d : fallback;

    public bool Bool(string name, bool fallback) => values.TryGetValue(name, out var value) && value is bool b ? b : fallback;

    public string? String(string name) => values.TryGetValue(name, out var value) ? value as string : null;

    public EnumArgument Enum(string name, string fallback)
    {
        var member = String(name) ?? fallback;
        return new EnumArgument(member, member, "", "");
    }
}
