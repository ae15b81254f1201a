using System.Text.RegularExpressions;
using Prune.Tests.Shared;

namespace Prune.Generators.Tests;

/// <summary>
/// The generator infers TensorFlow's output shapes for windowed layers at compile time: every row of the shared
/// table (odd sizes, strides 2 and 3, SAME and VALID; the runtime's tests check the same rows against TorchSharp).
/// </summary>
public partial class ShapeInferenceTests
{
    [Fact]
    public void Windowed_layers_get_the_output_shapes_of_the_shared_table()
    {
        var wrong = new List<string>();
        foreach (var row in WindowShape.All)
        {
            var run = GeneratorHarness.Run($$"""
                using Prune;
                namespace Tests;
                [Model({{row.Channels}}, {{row.Height}}, {{row.Width}})]
                public partial class Windowed
                {
                    {{row.Attribute}} Layer layer;
                    [GlobalAveragePool2D] Layer pool;
                }
                """);
            Assert.Empty(run.Diagnostics);
            var inferred = OutputShape().Match(Assert.Single(run.Sources).SourceText.ToString()).Groups[1].Value;
            var expected = string.Join(", ", row.Output);
            if (inferred != expected) wrong.Add($"{row}: inferred [{inferred}], expected [{expected}]");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    // The windowed layer's OutputShape, the first in the generated ModelSpec (the model's own shape is InputShape); the
    // pooling after it makes the model's output one value per class (PRUNE030).
    [GeneratedRegex(@"OutputShape = new\(([0-9, ]+)\)")]
    private static partial Regex OutputShape();
}
