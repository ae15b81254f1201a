using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Prune.Generators.Diagnostics;
using Prune.Generators.Specs;

namespace Prune.Generators.Parsing;

/// <summary>A layer attribute on a field of a class without [Model], as plain values.</summary>
/// <param name="TypeName">The class's full name: the fields of one class are reported together.</param>
/// <param name="ClassName">The class's name as declared.</param>
/// <param name="Where">The class name in the declaration that holds the field.</param>
/// <param name="Field">The field's name.</param>
/// <param name="Attribute">The layer attribute, without the suffix (<c>Dense</c>).</param>
internal sealed record StrayLayer(string TypeName, string ClassName, SourceSpot Where, string Field, string Attribute);

/// <summary>
/// Finds layer attributes in classes without [Model]. Prune generates nothing for such a class, so without PRUNE028
/// its attributes would be ignored silently.
/// </summary>
internal static class StrayLayers
{
    /// <summary>The metadata names of Prune's layer attributes, one per <see cref="LayerKind"/> and <see cref="BlockKind"/>.</summary>
    public static IEnumerable<string> AttributeNames =>
        LayerKind.All.Select(kind => kind.Name).Concat(BlockKind.All.Select(block => block.Name)).Select(name => "Prune." + name + "Attribute");

    /// <summary>The layer attribute of one field when the field's class has no [Model]; null otherwise.</summary>
    public static StrayLayer? Find(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not IFieldSymbol { ContainingType: { } type } field
            || type.GetAttributes().Any(ModelParser.IsModelAttribute)
            || context.TargetNode.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
            return null;
        var attribute = context.Attributes[0].AttributeClass!.Name;
        return new StrayLayer(type.ToDisplayString(), type.Name, SourceSpot.From(declaration.Identifier.GetLocation()), field.Name,
            attribute.Substring(0, attribute.Length - "Attribute".Length));
    }

    /// <summary>One warning per class, on its name (the first declaration holding such a field), listing the fields.</summary>
    public static EquatableArray<DiagnosticInfo> Diagnostics(ImmutableArray<StrayLayer> layers)
    {
        var diagnostics = new DiagnosticList();
        foreach (var type in layers.GroupBy(l => l.TypeName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = type.OrderBy(l => l.Where.FilePath, StringComparer.Ordinal).ThenBy(l => l.Where.Span.Start).ToList();
            var fields = string.Join(", ", ordered.Select(l => "[" + l.Attribute + "] " + l.Field));
            diagnostics.Add(DiagnosticDescriptors.LayersWithoutModel, ordered[0].Where, ordered[0].ClassName, fields);
        }
        return diagnostics.ToEquatableArray();
    }
}
