using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Prune.Generators.Tests;

/// <summary>
/// The IDE0044 suppressor silences "make field readonly" on layer fields of a [Model] class only. The real
/// IDE0044 analyzer is not available outside the SDK, so a stand-in reports IDE0044 on every private field.
/// </summary>
public class SuppressorTests
{
    [Fact]
    public async Task Layer_fields_of_models_are_suppressed_and_other_fields_are_not()
    {
        const string source = """
            using Prune;
            namespace Tests;
            [Model(4)]
            public partial class Net
            {
                [Dense(2)] Layer output;
                int counter;
            }
            public class Plain
            {
                Layer notAModelLayer;
            }
            """;
        var compilation = GeneratorHarness.Compile(source);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new EveryFieldCouldBeReadonly(), new LayerFieldSuppressor());

        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);

        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        var byField = diagnostics.Where(d => d.Id == "IDE0044").ToDictionary(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), d => d.IsSuppressed);
        Assert.Equal(new Dictionary<string, bool> { ["output"] = true, ["counter"] = false, ["notAModelLayer"] = false }, byField);
    }

    // A test double run in memory, never loaded by a compiler: the rules for shipped analyzers do not apply.
#pragma warning disable RS1001, RS1036, RS2008
    private sealed class EveryFieldCouldBeReadonly : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("IDE0044", "Make field readonly", "{0}", "Style", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(c => c.ReportDiagnostic(Diagnostic.Create(Rule, c.Symbol.Locations[0], c.Symbol.Name)), SymbolKind.Field);
        }
    }
#pragma warning restore RS1001, RS1036, RS2008
}
