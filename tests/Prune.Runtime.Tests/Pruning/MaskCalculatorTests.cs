using Prune.Pruning;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pruning;

public class MaskCalculatorTests
{
    private static readonly PruningSpec Unstructured = new(new ConstantSparsity(0.5));

    private static float[] Values(Tensor t) => t.data<float>().ToArray();

    [Theory]
    [InlineData(6400, 0.5, 3200)]
    [InlineData(288, 0.8, 230)]   // keeps round(57.6) = 58
    [InlineData(10, 0.3, 3)]
    [InlineData(5, 0.5, 3)]       // keeps round(2.5) = 2: half to even, as TensorFlow rounds
    [InlineData(7, 0.5, 3)]       // keeps round(3.5) = 4
    [InlineData(4, 0.99, 3)]      // keeps at least one
    [InlineData(100, 0, 0)]
    public void A_mask_has_exactly_tfmots_count_of_zeros(int count, double sparsity, long zeros)
    {
        using var weight = randn(count, 1, generator: new TorchSharp.torch.Generator(1)).reshape(1, count);
        using var mask = MaskCalculator.Magnitude(weight, sparsity, Unstructured);
        Assert.Equal(zeros, Values(mask).Count(v => v == 0));
        Assert.All(Values(mask), v => Assert.True(v is 0 or 1));
    }

    [Fact]
    public void The_smallest_magnitudes_go_whatever_their_sign()
    {
        using var weight = tensor(new float[] { -5, 0.1f, 3, -0.2f, 0.05f, 4, -1, 2 }).reshape(2, 4);
        using var mask = MaskCalculator.Magnitude(weight, 0.5, Unstructured);
        Assert.Equal([1f, 0, 1, 0, 0, 1, 0, 1], Values(mask));
    }

    [Fact]
    public void Ties_at_the_threshold_still_give_exactly_k_zeros_keeping_the_earliest()
    {
        using var weight = tensor(new float[] { 1, 1, 1, 1, 1, 1, 3, 1 }).reshape(2, 4);
        using var mask = MaskCalculator.Magnitude(weight, 0.5, Unstructured);
        Assert.Equal([1f, 1, 1, 0, 0, 0, 1, 0], Values(mask));
    }

    [Fact]
    public void A_convolution_mask_has_the_weights_shape_and_count()
    {
        using var weight = randn(16, 8, 3, 3, generator: new TorchSharp.torch.Generator(2));
        using var mask = MaskCalculator.Magnitude(weight, 0.75, Unstructured);
        Assert.Equal(weight.shape, mask.shape);
        Assert.Equal(1152 - 288, Values(mask).Count(v => v == 0));
    }

    [Fact]
    public void Average_block_pooling_drops_the_blocks_of_smallest_mean_magnitude_element_by_element()
    {
        // 4x4 in 2x2 blocks; mean magnitudes: top-left 1, top-right 4, bottom-left 3, bottom-right 2.25 (one big weight).
        using var weight = tensor(new float[]
        {
             1, -1,   4,  4,
            -1,  1,  -4,  4,
             3,  3,   0,  0,
            -3,  3,   9,  0,
        }).reshape(4, 4);
        var spec = Unstructured with { Block = new Size2D(2, 2), BlockPooling = BlockPooling.Average };
        using var mask = MaskCalculator.Magnitude(weight, 0.5, spec);
        Assert.Equal(
        [
            0f, 0, 1, 1,
            0, 0, 1, 1,
            1, 1, 0, 0,
            1, 1, 0, 0,
        ], Values(mask));
    }

    [Fact]
    public void A_block_that_does_not_divide_the_weight_scores_its_edge_blocks_padded_with_zeros_as_tfmot_does()
    {
        // 2x5 in 1x2 blocks: the view is padded to 2x6. Block averages: row 0: 1.5, 3.5, 4 (the 8 and a padded 0);
        // row 1: 5, 0.5, 3 (the 6 and a padded 0). Keeping 3 of 6 keeps 4, 5 and 3.5; 3 loses to 3.5, though 6 > 4.
        using var weight = tensor(new float[]
        {
            1, 2, 3, 4, 8,
            5, 5, 0, 1, 6,
        }).reshape(2, 5);
        using var mask = MaskCalculator.Magnitude(weight, 0.5, Unstructured with { Block = new Size2D(1, 2) });
        Assert.Equal(
        [
            0f, 0, 1, 1, 1,
            1, 1, 0, 0, 0,
        ], Values(mask));
    }

    [Fact]
    public void Max_block_pooling_keeps_a_block_for_its_largest_weight()
    {
        using var weight = tensor(new float[]
        {
             1, -1,   4,  4,
            -1,  1,  -4,  4,
             3,  3,   0,  0,
            -3,  3,   9,  0,
        }).reshape(4, 4);
        var spec = Unstructured with { Block = new Size2D(2, 2), BlockPooling = BlockPooling.Max };
        using var mask = MaskCalculator.Magnitude(weight, 0.5, spec);
        Assert.Equal(
        [
            0f, 0, 1, 1,
            0, 0, 1, 1,
            0, 0, 1, 1,
            0, 0, 1, 1,
        ], Values(mask));
    }

    [Fact]
    public void Convolution_blocks_run_over_the_out_by_in_kh_kw_view()
    {
        // [2, 1, 1, 4] is the matrix 2x4; blocks 1x2: magnitudes 1, 5 | 2, 0.5.
        using var weight = tensor(new float[] { 1, 1, 5, 5, 2, 2, 0.5f, 0.5f }).reshape(2, 1, 1, 4);
        var spec = Unstructured with { Block = new Size2D(1, 2) };
        using var mask = MaskCalculator.Magnitude(weight, 0.5, spec);
        Assert.Equal([0f, 0, 1, 1, 1, 1, 0, 0], Values(mask));
    }

    [Fact]
    public void Two_of_four_keeps_the_two_largest_of_each_group_along_the_inputs()
    {
        using var weight = tensor(new float[]
        {
            0.1f, -0.9f, 0.5f, 0.2f,   3, 1, -2, 0,
            -1, 2, -3, 4,              0.4f, 0.3f, 0.2f, 0.1f,
        }).reshape(2, 8);
        var spec = Unstructured with { MByN = new MByN(2, 4) };
        using var mask = MaskCalculator.Magnitude(weight, 0.1, spec);
        Assert.Equal(
        [
            0f, 1, 1, 0,   1, 0, 1, 0,
            0, 0, 1, 1,    1, 1, 0, 0,
        ], Values(mask));
    }

    [Fact]
    public void Two_of_four_on_a_convolution_groups_input_channels_at_each_kernel_position()
    {
        // [out 1, in 4, kh 1, kw 2]: position 0 sees channels 1, 4, 2, 3; position 1 sees 8, 5, 7, 6.
        using var weight = tensor(new float[] { 1, 8, 4, 5, 2, 7, 3, 6 }).reshape(1, 4, 1, 2);
        var spec = Unstructured with { MByN = new MByN(2, 4) };
        using var mask = MaskCalculator.Magnitude(weight, 0.5, spec);
        // Position 0 keeps channels 1 (4) and 3 (3); position 1 keeps channels 0 (8) and 2 (7).
        Assert.Equal([0f, 1, 1, 0, 0, 1, 1, 0], Values(mask));
    }

    [Fact]
    public void Patterns_that_do_not_fit_the_weight_are_refused_naming_the_layer()
    {
        long[] dense = [4, 6];
        var block = Assert.Throws<InvalidSpecException>(() => MaskCalculator.Validate("dense1", dense, Unstructured with { Block = new Size2D(3, 7) }));
        Assert.Contains("Layer 'dense1': block 3x7 is larger than its weight matrix [4, 6]", block.Message);
        var mByN = Assert.Throws<InvalidSpecException>(() => MaskCalculator.Validate("dense1", dense, Unstructured with { MByN = new MByN(3, 2) }));
        Assert.Contains("1 ≤ m ≤ n", mByN.Message);
        var groups = Assert.Throws<InvalidSpecException>(() => MaskCalculator.Validate("conv1", [8, 3, 3, 3], Unstructured with { MByN = new MByN(2, 4) }));
        Assert.Contains("Layer 'conv1': 2:4 sparsity groups 4 consecutive input channels, but 4 does not divide the layer's 3 input channels", groups.Message);
        using var weight = ones(4, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskCalculator.Magnitude(weight, 1.0, Unstructured));
    }

    [Theory]
    [InlineData(3, 2)]   // m > n
    [InlineData(0, 4)]   // keeps nothing
    [InlineData(2, 3)]   // 3 does not divide the 8 input channels
    public void An_m_by_n_pattern_the_weight_does_not_allow_is_refused_naming_the_layer(int m, int n)
    {
        var spec = Unstructured with { MByN = new MByN(m, n) };
        var error = Assert.Throws<InvalidSpecException>(() => MaskCalculator.Validate("fc", [4, 8], spec));
        Assert.StartsWith("Layer 'fc': ", error.Message, StringComparison.Ordinal);
        Assert.Equal("PRUNE022", error.Code);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(2, 0)]
    [InlineData(5, 2)]   // taller than the 4 rows
    [InlineData(2, 9)]   // wider than the 8 columns
    public void A_block_the_weight_does_not_allow_is_refused_naming_the_layer(int height, int width)
    {
        var spec = Unstructured with { Block = new Size2D(height, width) };
        var error = Assert.Throws<InvalidSpecException>(() => MaskCalculator.Validate("fc", [4, 8], spec));
        Assert.StartsWith("Layer 'fc': ", error.Message, StringComparison.Ordinal);
        Assert.Equal("PRUNE021", error.Code);
    }

    [Fact]
    public void The_edges_of_what_patterns_allow_are_accepted()
    {
        MaskCalculator.Validate("fc", [4, 8], Unstructured with { MByN = new MByN(4, 4) });
        MaskCalculator.Validate("fc", [4, 8], Unstructured with { MByN = new MByN(1, 1) });
        MaskCalculator.Validate("fc", [4, 8], Unstructured with { Block = new Size2D(1, 1) });
        MaskCalculator.Validate("conv", [4, 2, 3, 3], Unstructured with { Block = new Size2D(4, 18) });
        Assert.Contains("only [out, in] and [out, in, kh, kw]", Assert.ThrowsAny<ArgumentException>(() => MaskCalculator.Validate("x", [4, 2, 3], Unstructured)).Message, StringComparison.Ordinal);
        using var weight = randn(2, 4, generator: new TorchSharp.torch.Generator(3));
        Assert.Contains("Layer 'fc': sparsity must be in [0, 1), but is 1", Assert.Throws<ArgumentOutOfRangeException>(() => MaskCalculator.Magnitude(weight, 1.0, Unstructured, "fc")).Message, StringComparison.Ordinal);
    }
}
