using System.Globalization;
using Microsoft.CodeAnalysis;
using Prune.Generators.Diagnostics;
using Prune.Generators.Specs;
using Prune.Specs.Rules;

namespace Prune.Generators.Parsing;

/// <summary>Collects the parser's diagnostics, formatting every argument with the invariant culture.</summary>
internal sealed class DiagnosticList
{
    private readonly List<DiagnosticInfo> _items = [];

    public bool HasErrors => _items.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    /// <summary>Adds a diagnostic, once: the layers a block expands to share its attribute and its settings, so a
    /// mistake in those would otherwise be reported once per layer, word for word.</summary>
    public void Add(DiagnosticDescriptor descriptor, SourceSpot where, params object[] arguments)
    {
        var diagnostic = new DiagnosticInfo(descriptor, where, arguments.Select(Format).ToEquatableArray());
        if (!_items.Contains(diagnostic)) _items.Add(diagnostic);
    }

    /// <summary>Reports a broken rule with the diagnostic whose code is the rule's, and the rule's own message.</summary>
    public void Add(Problem problem, SourceSpot where) => Add(DiagnosticDescriptors.For(problem.Rule), where, problem.Message);

    /// <summary>Reports every problem at <paramref name="where"/>; true when there was none.</summary>
    public bool AddAll(IEnumerable<Problem?> problems, SourceSpot where)
    {
        var none = true;
        foreach (var problem in problems.OfType<Problem>())
        {
            Add(problem, where);
            none = false;
        }
        return none;
    }

    public EquatableArray<DiagnosticInfo> ToEquatableArray() => _items.ToEquatableArray();

    /// <summary>Numbers as C# would write them on any machine: 0.5, never 0,5.</summary>
    public static string Format(object argument) => argument switch
    {
        double d => Formats.Number(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => argument.ToString() ?? "",
    };
}
