using System.Text.RegularExpressions;

namespace Prune.Generators.Tests;

/// <summary>The README's model declaration, read from the README itself: it compiles cleanly and is the sample it names.</summary>
public partial class ReadmeTests
{
    [Fact]
    public void The_model_the_README_declares_generates_and_compiles_and_is_the_sample_it_names()
    {
        var readme = File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Declaring a model", StringComparison.Ordinal)..];
        var match = Snippet().Match(section);
        Assert.True(match.Success, "README.md's 'Declaring a model' has no csharp block");
        var snippet = match.Groups["code"].Value;

        var run = GeneratorHarness.Run(snippet);

        Assert.Empty(run.Diagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationDiagnostics.Select(GeneratorRun.Describe));
        // "(from samples/MnistCnn/MnistCnn80.cs)": the declaration, comments and spacing aside, is the sample's.
        var sample = File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), match.Groups["sample"].Value));
        var declaration = snippet[snippet.IndexOf("[Model(", StringComparison.Ordinal)..];
        Assert.Contains(Normalized(declaration), Normalized(sample), StringComparison.Ordinal);
    }

    /// <summary>Code without comments and with every run of white space as one space.</summary>
    private static string Normalized(string code) => Whitespace().Replace(Comment().Replace(code, ""), " ").Trim();

    [GeneratedRegex(@"\(from `(?<sample>samples/[^`]+\.cs)`\):\s*```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Snippet();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
