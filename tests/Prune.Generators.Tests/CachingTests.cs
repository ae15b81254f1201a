using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Prune.Generators.Tests;

/// <summary>
/// The incremental pipeline caches: after an edit that does not touch a model, every tracked step is Cached or
/// Unchanged (nothing re-emitted), and no step output holds a symbol, syntax node or compilation (which would
/// defeat caching and keep whole compilations alive in the IDE).
/// </summary>
public class CachingTests
{
    private static readonly string[] TrackedSteps = [ModelGenerator.Steps.Parse, ModelGenerator.Steps.Diagnostics, ModelGenerator.Steps.Models, ModelGenerator.Steps.StrayLayers];

    [Theory]
    [InlineData(Scenarios.SeedCnn)]
    [InlineData(Scenarios.EveryLayer)]
    [InlineData(Scenarios.Residual)]
    [InlineData(BrokenModel)]
    public void An_unrelated_edit_leaves_every_step_cached(string source)
    {
        var first = GeneratorHarness.Compile(source, ("Other.cs", "namespace Elsewhere; public class Other { }"));
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(first);
        var firstRun = driver.GetRunResult().Results.Single();

        var otherTree = first.SyntaxTrees.Single(t => t.FilePath == "Other.cs");
        var edited = first.ReplaceSyntaxTree(otherTree,
            CSharpSyntaxTree.ParseText("namespace Elsewhere; public class Other { public int Count; }", (CSharpParseOptions)otherTree.Options, "Other.cs"));
        var secondRun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in TrackedSteps)
            Assert.Equal(Steps(firstRun, name).Length, Steps(secondRun, name).Length);
        var reasons = TrackedSteps
            .SelectMany(name => Steps(secondRun, name).SelectMany(step => step.Outputs.Select(o => (name, o.Reason))))
            .ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.name}: {r.Reason}"));
        Assert.All(secondRun.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        foreach (var output in TrackedSteps.SelectMany(name => Steps(firstRun, name)).SelectMany(s => s.Outputs))
            AssertHoldsNoCompilerObjects(output.Value, output.Value.GetType().Name);
    }

    [Fact]
    public void Editing_a_model_regenerates_it()
    {
        var first = GeneratorHarness.Compile(Scenarios.Tabular);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(first);
        var tree = first.SyntaxTrees.Single();
        var edited = first.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            Scenarios.Tabular.Replace("[Dense(8,", "[Dense(6,", StringComparison.Ordinal))));

        var run = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(run.TrackedSteps[ModelGenerator.Steps.Models].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("OutputShape = new(6),", run.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    // A step that never produced a value (no model without errors) is absent from the dictionary.
    private static System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep> Steps(GeneratorRunResult run, string name) =>
        run.TrackedSteps.TryGetValue(name, out var steps) ? steps : [];

    private const string BrokenModel = "using Prune;\nnamespace Tests;\n[Model(1, 28, 28)]\npublic partial class Broken\n{\n    [Dense(10), Prune(1.5)] Layer output;\n}\n";

    private static void AssertHoldsNoCompilerObjects(object? value, string path, HashSet<object>? seen = null)
    {
        seen ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {value.GetType().Name}, which must not enter the incremental pipeline");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) AssertHoldsNoCompilerObjects(item, $"{path}[{i++}]", seen);
        }
        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                AssertHoldsNoCompilerObjects(field.GetValue(value), path + "." + field.Name, seen);
        }
    }
}
