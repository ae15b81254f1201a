using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Prune.Generators;

/// <summary>
/// Silences "make field readonly" (IDE0044) on layer fields of a [Model] class. The user declares
/// <c>[Dense(10)] Layer output;</c> and Prune's generated constructor assigns it, so the code-style analyzer sees
/// a field written only in a constructor; making it readonly is harmless but noise the user never asked for.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LayerFieldSuppressor : DiagnosticSuppressor
{
    private static readonly SuppressionDescriptor MakeFieldReadonly = new(
        "PRUNESPR0044", "IDE0044", "Prune's generated constructor assigns this layer field; whether it is readonly does not matter.");

    /// <inheritdoc/>
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions => [MakeFieldReadonly];

    /// <inheritdoc/>
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            if (diagnostic.Location.SourceTree is not { } tree) continue;
            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            var model = context.GetSemanticModel(tree);
            if (model.GetDeclaredSymbol(node, context.CancellationToken) is IFieldSymbol field && IsLayerOfModel(field))
                context.ReportSuppression(Suppression.Create(MakeFieldReadonly, diagnostic));
        }
    }

    private static bool IsLayerOfModel(IFieldSymbol field) =>
        field.ContainingType.GetAttributes().Any(a => IsPrune(a.AttributeClass, "ModelAttribute"))
        && field.GetAttributes().Any(a => IsPrune(a.AttributeClass?.BaseType, "LayerAttribute"));

    private static bool IsPrune(INamedTypeSymbol? type, string name) =>
        type is { ContainingNamespace: { Name: "Prune", ContainingNamespace.IsGlobalNamespace: true } } && type.Name == name;
}
