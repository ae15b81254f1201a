using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Prune.Generators.Tests;

/// <summary>
/// Bad input never crashes the generator and never yields code that fails to compile: every number in the
/// scenarios is replaced, one at a time, by values at and past the edges, and each variant either gets
/// diagnostics (and no code) or code that compiles cleanly.
/// </summary>
public partial class RobustnessTests
{
    private static readonly string[] EdgeValues = ["0", "2147483647"];

    [Theory]
    [InlineData(Scenarios.SeedCnn)]
    [InlineData(Scenarios.EveryLayer)]
    public void Every_number_replaced_by_an_edge_value_gives_diagnostics_or_compiling_code(string source)
    {
        var numbers = Number().Matches(source);
        Assert.True(numbers.Count > 10);
        var generatedVariants = 0;
        foreach (Match number in numbers)
        {
            foreach (var value in EdgeValues)
            {
                var variant = source[..number.Index] + value + source[(number.Index + number.Length)..];
                var run = GeneratorHarness.Run(variant);
                if (run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    Assert.Empty(run.Sources);
                    continue;
                }
                generatedVariants++;
                var errors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(GeneratorRun.Describe);
                Assert.True(!errors.Any(), $"Variant {number.Value} -> {value} at {number.Index}: {string.Join("; ", errors)}");
            }
        }
        Assert.True(generatedVariants > 0);
    }

    // Numbers inside attribute arguments: after '(' ',' ':' or '=' and spaces.
    [GeneratedRegex(@"(?<=[(,:=]\s*)\d+(\.\d+)?")]
    private static partial Regex Number();
}
