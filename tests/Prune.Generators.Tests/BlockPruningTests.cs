using System.Text.RegularExpressions;

namespace Prune.Generators.Tests;

/// <summary>
/// Which layers a block's [Prune] prunes, as the generated specs say: a filter pattern prunes the filters of the block's
/// convolutions (the layers that make channels) only, its depthwise convolution follows the expansion's channels and
/// is not pruned on its own; any other pattern prunes every layer with weights, the depthwise one too.
/// </summary>
public partial class BlockPruningTests
{
    public static TheoryData<string, string, string> Blocks => new()
    {
        { "InvertedResidual(6, 16, stride: 2)", "Prune(0.5), FilterSparsity", "block_0_expand block_0_project" },
        { "InvertedResidual(6, 16, stride: 2)", "Prune(0.5)", "block_0_expand block_0_depthwise block_0_project" },
        { "InvertedResidual(6, 16, stride: 2)", "Prune(0.5), BlockSparsity(1, 3)", "block_0_expand block_0_depthwise block_0_project" },
        // A basic block has no per-channel layer with weights: the filter pattern prunes all of its convolutions.
        { "BasicBlock(16, stride: 2)", "Prune(0.5), FilterSparsity", "block_0_conv1 block_0_conv2 block_0_downsample_0" },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_block_s_filter_pattern_prunes_its_convolutions_and_other_patterns_every_weight_layer(string block, string pruning, string pruned)
    {
        var run = GeneratorHarness.Run($$"""
            using Prune;
            namespace Tests;
            [Model(3, 16, 16)]
            public partial class Blocks
            {
                [Conv2D(8, 3, padding: Padding.Same)] Layer stem;
                [{{block}}, {{pruning}}] Layer block;
                [GlobalAveragePool2D] Layer pool;
                [Dense(2)] Layer output;
            }
            """);

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        var layers = LayerSpec().Matches(Assert.Single(run.Sources).SourceText.ToString());
        Assert.Equal(pruned, string.Join(" ", layers.Where(l => l.Groups[2].Value.Contains("Pruning = ", StringComparison.Ordinal)).Select(l => l.Groups[1].Value)));
        var filterPruned = layers.Where(l => l.Groups[2].Value.Contains("Filter = global::Prune.FilterCriterion.L1", StringComparison.Ordinal));
        Assert.Equal(pruning.Contains("FilterSparsity", StringComparison.Ordinal) ? pruned : "", string.Join(" ", filterPruned.Select(l => l.Groups[1].Value)));
    }

    /// <summary>One layer's spec in the generated source: its name, and the properties up to the next layer's.</summary>
    [GeneratedRegex("""Name = "(\w+)",((?:(?!Name = ").)*)""", RegexOptions.Singleline)]
    private static partial Regex LayerSpec();
}
