using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Prune.Generators.Emitting;
using Prune.Generators.Specs;
using Prune.Generators.Parsing;

namespace Prune.Generators;

/// <summary>
/// Prune's model generator. For every class with <c>[Prune.Model]</c>: parse the attributes into an equatable
/// <see cref="ParseResult"/> (shapes inferred, settings checked), report its diagnostics, and emit the module
/// for models without errors. Diagnostics and source travel in separate outputs, so an unchanged model is
/// neither re-emitted nor re-reported.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline's steps, for tests that check caching.</summary>
    public static class Steps
    {
        /// <summary>Each [Model] class parsed and checked.</summary>
        public const string Parse = "Prune.Parse";
        /// <summary>The diagnostics of one model.</summary>
        public const string Diagnostics = "Prune.Diagnostics";
        /// <summary>The spec of a model without errors.</summary>
        public const string Models = "Prune.Models";
        /// <summary>The warnings about layer attributes in classes without [Model].</summary>
        public const string StrayLayers = "Prune.StrayLayers";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName("Prune.ModelAttribute",
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (syntax, cancellationToken) => ModelParser.Parse(syntax, cancellationToken))
            .WithTrackingName(Steps.Parse);

        var diagnostics = parsed.Select(static (result, _) => result.Diagnostics).WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, list) =>
        {
            foreach (var diagnostic in list) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var models = parsed
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(Steps.Models);
        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(ModelEmitter.HintName(model), ModelEmitter.Emit(model)));

        context.RegisterSourceOutput(StrayLayerDiagnostics(context), static (output, list) =>
        {
            foreach (var diagnostic in list) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }

    /// <summary>Layer attributes on fields of classes without [Model] (one attribute lookup per layer kind), one warning per class.</summary>
    private static IncrementalValueProvider<EquatableArray<DiagnosticInfo>> StrayLayerDiagnostics(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<StrayLayer>>? all = null;
        foreach (var attribute in StrayLayers.AttributeNames)
        {
            var found = context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute,
                    static (node, _) => node is VariableDeclaratorSyntax,
                    static (syntax, _) => StrayLayers.Find(syntax))
                .Where(static layer => layer is not null)
                .Select(static (layer, _) => layer!)
                .Collect();
            all = all is null ? found : all.Value.Combine(found).Select(static (pair, _) => pair.Left.AddRange(pair.Right));
        }
        return all!.Value.Select(static (layers, _) => StrayLayers.Diagnostics(layers)).WithTrackingName(Steps.StrayLayers);
    }
}
