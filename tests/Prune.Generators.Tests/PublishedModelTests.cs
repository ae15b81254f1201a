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
    [InlineData("ResNet18.cs", 11_689_512, 8)]
    [InlineData("MobileNetV2.cs", 3_504_872, 10)]
    public void A_published_model_declared_in_the_DSL_has_torchvision_s_parameter_count(string file, long published, int adds)
    {
        var source = File.ReadAllText(Path.Combine(DiagnosticTests.RepositoryRoot(), "tests/Shared/Models", file));

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        Assert.Empty(run.CompilationDiagnostics.Select(GeneratorRun.Describe));
        var generated = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Equal(published, ParameterCount().Matches(generated).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        // The residual connections, which hold no parameters: ResNet-18 adds one per block; MobileNetV2 where a block keeps
        // its stride at 1 and its channels (1 + 2 + 3 + 2 + 2 of its 17 blocks).
        Assert.Equal(adds, generated.Split("new global::Prune.Specs.AddSpec").Length - 1);
        // Declared in under 60 lines, as a table of rows.
        Assert.True(source.Split('\n').Length < 60, $"{file} has {source.Split('\n').Length} lines");
    }

    [Fact]
    public void A_basic_block_projects_its_input_when_the_channels_change_even_at_stride_1()
    {
        var run = GeneratorHarness.Run("using Prune;\nnamespace Tests;\n[Model(3, 8, 8)]\npublic partial class Widening\n{\n"
            + "    [Conv2D(8, 3, padding: Padding.Same)] Layer stem;\n    [BasicBlock(16)] Layer block;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;\n}\n");

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        var generated = Assert.Single(run.Sources).SourceText.ToString();
        Assert.Contains("Name = \"block_0_downsample_0\",\n                Input = \"stem\",", generated, StringComparison.Ordinal);
        Assert.Contains("Shortcut = \"block_0_downsample_1\",", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inverted_residual_adds_its_input_back_only_at_stride_1()
    {
        var run = GeneratorHarness.Run("using Prune;\nnamespace Tests;\n[Model(3, 8, 8)]\npublic partial class Strided\n{\n"
            + "    [Conv2D(8, 3, padding: Padding.Same)] Layer stem;\n    [InvertedResidual(6, 8, stride: 2)] Layer down;\n    [InvertedResidual(6, 8)] Layer same;\n"
            + "    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;\n}\n");

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        var generated = Assert.Single(run.Sources).SourceText.ToString();
        Assert.DoesNotContain("down_0_add", generated, StringComparison.Ordinal);
        Assert.Contains("Name = \"same_0_add\",", generated, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"ParameterCount = ([0-9]+),")]
    private static partial Regex ParameterCount();
}
