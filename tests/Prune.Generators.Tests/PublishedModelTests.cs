using System.Text.RegularExpressions;

namespace Prune.Generators.Tests;

/// <summary>
/// ResNet-18 and MobileNetV2 1.0, declared with the residual DSL in tests/Shared/Models (the runtime tests build the same
/// files into TorchSharp modules), generate and compile cleanly with the parameter counts torchvision publishes for
/// them (1000-class heads; BatchNorm's running statistics are buffers, not parameters).
/// </summary>
public partial class PublishedModelTests
{
    [Theory]
    [InlineData("ResNet18.cs", 11_689_512)]
    [InlineData("MobileNetV2.cs", 3_504_872)]
    public void A_published_model_declared_in_the_DSL_has_torchvision_s_parameter_count(string file, long published)
    {
        var source = File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests/Shared/Models", file));

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        Assert.Empty(run.CompilationDiagnostics.Select(GeneratorRun.Describe));
        var generated = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Equal(published, ParameterCount().Matches(generated).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        // Declared in under 60 lines, as a table of rows.
        Assert.True(source.Split('\n').Length < 60, $"{file} has {source.Split('\n').Length} lines");
    }

    [GeneratedRegex(@"ParameterCount = ([0-9]+),")]
    private static partial Regex ParameterCount();
}
