using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Prune.Generators.Tests;

/// <summary>Compiles small programs in memory against Prune.Runtime and runs the model generator on them.</summary>
internal static class GeneratorHarness
{
    /// <summary>The file path every test source gets, so line and column assertions and snapshots are machine-independent.</summary>
    public const string ModelPath = "Models.cs";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // The test host's own trusted assemblies: the BCL, Prune.Runtime and TorchSharp's managed assembly.
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    public static CSharpCompilation Compile(string source, params (string Path, string Source)[] otherFiles) =>
        CSharpCompilation.Create("UserModels",
            [CSharpSyntaxTree.ParseText(source, ParseOptions, ModelPath),
                .. otherFiles.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path))],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create([new ModelGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once: its diagnostics, the generated files, and the compilation that includes them.</summary>
    public static GeneratorRun Run(string source)
    {
        var compilation = Compile(source);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return new GeneratorRun(result.Diagnostics, result.GeneratedSources, output);
    }
}

/// <summary>One generator run on one program.</summary>
internal sealed record GeneratorRun(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<GeneratedSourceResult> Sources, Compilation Output)
{
    /// <summary>The compiler's diagnostics of the user program plus the generated code (warnings included).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics => Output.GetDiagnostics();

    /// <summary>The generated files and diagnostics as one readable text, for snapshots.</summary>
    public string ToSnapshotText()
    {
        var lines = new List<string> { "Diagnostics:" };
        lines.AddRange(Diagnostics.IsEmpty ? ["  (none)"] : Diagnostics.Select(Describe));
        foreach (var source in Sources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            lines.Add("");
            lines.Add("=== " + source.HintName + " ===");
            lines.Add(source.SourceText.ToString().TrimEnd('\n'));
        }
        return string.Join("\n", lines) + "\n";
    }

    public static string Describe(Diagnostic d)
    {
        var position = d.Location.GetLineSpan().StartLinePosition;
        return $"  {d.Id} {d.Severity} ({position.Line + 1},{position.Character + 1}): {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
