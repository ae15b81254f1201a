using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Prune.Generators.Model;

namespace Prune.Generators.Parsing;

/// <summary>Collects the parser's diagnostics, formatting every argument with the invariant culture.</summary>
internal sealed class DiagnosticList
{
    private readonly List<DiagnosticInfo> _items = [];

    public bool HasErrors => _items.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    public void Add(DiagnosticDescriptor descriptor, SourceSpot where, params object[] arguments) =>
        _items.Add(new DiagnosticInfo(descriptor, where, arguments.Select(Format).ToEquatableArray()));

    public EquatableArray<DiagnosticInfo> ToEquatableArray() => _items.ToEquatableArray();

    /// <summary>Numbers as C# would write them on any machine: 0.5, never 0,5.</summary>
    public static string Format(object argument) => argument switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => argument.ToString() ?? "",
    };

    /// <summary>A shape as the runtime's <c>TensorShape.ToString</c> writes it: <c>[1, 28, 28]</c>.</summary>
    public static string Shape(IEnumerable<int> dimensions) =>
        "[" + string.Join(", ", dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
