using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Prune.Generators.Emitting;
using Prune.Generators.Model;
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
        /// <summary>The description of a model without errors.</summary>
        public const string Models = "Prune.Models";
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
    }
}
