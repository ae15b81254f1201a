using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Prune.Generators.Specs;

namespace Prune.Generators.Parsing;

/// <summary>
/// One applied Prune attribute: its arguments by parameter or property name (defaults filled in by the
/// compiler), and where it stands. Lives only inside the parser; never enters the pipeline.
/// </summary>
internal sealed class AttributeArguments : IArguments
{
    private readonly AttributeData _data;

    public AttributeArguments(AttributeData data, CancellationToken cancellationToken)
    {
        _data = data;
        var syntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
        Where = syntax is null ? new SourceSpot("", default, default) : SourceSpot.From(syntax);
        Name = data.AttributeClass?.Name is { } name && name.EndsWith("Attribute", System.StringComparison.Ordinal)
            ? name.Substring(0, name.Length - "Attribute".Length)
            : data.AttributeClass?.Name ?? "";
    }

    /// <summary>The attribute's name without its suffix, e.g. <c>Conv2D</c>.</summary>
    public string Name { get; }

    /// <summary>The attribute as written in messages, e.g. <c>[Conv2D]</c>.</summary>
    public string Display => "[" + Name + "]";

    /// <summary>Where the attribute stands: the start of its name, after the bracket.</summary>
    public SourceSpot Where { get; }

    /// <summary>True when the compiler could not bind the attribute; the compiler reports that error itself.</summary>
    public static bool HasErrors(AttributeData data) =>
        data.AttributeClass is null or IErrorTypeSymbol
        || data.AttributeConstructor is null
        || data.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
        || data.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error);

    public int Int(string name, int fallback) => Find(name) is { Value: int value } ? value : fallback;

    public double Double(string name, double fallback) => Find(name)?.Value switch
    {
        double value => value,
        int value => value,
        _ => fallback,
    };

    public bool Bool(string name, bool fallback) => Find(name) is { Value: bool value } ? value : fallback;

    public string? String(string name) => Find(name)?.Value as string;

    /// <summary>Whether the constructor that was called has a parameter of this name (e.g. <c>[Prune(0.5)]</c> vs <c>[Prune]</c>).</summary>
    public bool Has(string name) => Find(name) is not null;

    /// <summary>The elements of an array argument, such as <c>params int[] inputShape</c>.</summary>
    public ImmutableArray<int> Ints(string name) =>
        Find(name) is { Kind: TypedConstantKind.Array } array
            ? array.Values.Select(v => v.Value is int i ? i : 0).ToImmutableArray()
            : ImmutableArray<int>.Empty;

    /// <summary>The elements of a <c>double[]</c> argument (integers written in it are widened).</summary>
    public ImmutableArray<double> Doubles(string name) =>
        Find(name) is { Kind: TypedConstantKind.Array } array
            ? array.Values.Select(v => v.Value switch { double d => d, int i => i, _ => double.NaN }).ToImmutableArray()
            : ImmutableArray<double>.Empty;

    /// <summary>An enum argument: its member name, or null with a description when no member has that value.</summary>
    public EnumArgument Enum(string name, string fallback)
    {
        if (Find(name) is not { Type: INamedTypeSymbol { TypeKind: TypeKind.Enum } type } constant)
            return new EnumArgument(fallback, "", "", "");
        var members = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
        var match = members.FirstOrDefault(f => Equals(f.ConstantValue, constant.Value));
        return new EnumArgument(match?.Name, "(" + type.Name + ")" + System.Convert.ToString(constant.Value, System.Globalization.CultureInfo.InvariantCulture), type.Name, string.Join(", ", members.Select(m => m.Name)));
    }

    private TypedConstant? Find(string name)
    {
        var parameters = _data.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        for (var i = 0; i < parameters.Length && i < _data.ConstructorArguments.Length; i++)
        {
            if (parameters[i].Name == name) return _data.ConstructorArguments[i];
        }
        foreach (var named in _data.NamedArguments)
        {
            if (named.Key == name) return named.Value;
        }
        return null;
    }
}

/// <summary>An enum argument as read: <see cref="Member"/> is null when the value names no member.</summary>
internal readonly record struct EnumArgument(string? Member, string Written, string TypeName, string KnownMembers);
