using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Prune.Generators.Tests;

/// <summary>
/// Any legal field name works as a layer name: the generated code's own names (its locals, the
/// members it calls) never clash with the user's fields. The names are read from the generated code itself, so a
/// name the emitter adds later is covered without editing this test.
/// </summary>
public class FieldNameTests
{
    [Fact]
    public void Fields_named_like_every_identifier_of_the_generated_code_compile_and_the_model_is_generated()
    {
        var names = IdentifiersOfGeneratedCode();
        Assert.Contains("register_module", names);

        var fields = string.Join("\n", names.Select(name => $"    [Dense(4)] Layer {Escaped(name)};"));
        var run = GeneratorHarness.Run("using Prune;\nnamespace Tests;\n[Model(4)]\npublic partial class Names\n{\n" + fields + "\n}\n");

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        var generated = Assert.Single(run.Sources).SyntaxTree;
        // The user's fields may hide inherited members (a warning in the user's file, theirs to keep or rename); the
        // generated file itself must compile without a single diagnostic.
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || d.Location.SourceTree == generated)
            .Select(GeneratorRun.Describe));
    }

    /// <summary>Every name the generated code declares or refers to by a simple name, except the members Prune reserves (PRUNE004).</summary>
    private static List<string> IdentifiersOfGeneratedCode()
    {
        var reserved = (string[])typeof(ModelGenerator).Assembly.GetType("Prune.Generators.Parsing.ModelParser")!
            .GetField("GeneratedMembers")!.GetValue(null)!;
        var root = Assert.Single(GeneratorHarness.Run(Scenarios.EveryLayer).Sources).SyntaxTree.GetRoot();
        var referenced = root.DescendantNodes().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText);
        var declared = root.DescendantNodes().Select(n => n switch
        {
            ParameterSyntax p => p.Identifier.ValueText,
            VariableDeclaratorSyntax v => v.Identifier.ValueText,
            _ => null,
        }).OfType<string>();
        return referenced.Concat(declared)
            .Where(name => !reserved.Contains(name) && name != "EveryLayer")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string Escaped(string name) => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
}
