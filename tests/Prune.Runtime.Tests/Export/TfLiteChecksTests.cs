using Prune.Export;

namespace Prune.Runtime.Tests.Export;

/// <summary>The structural checks <c>dotnet prune inspect</c> runs, and the MACs every report and the tool print.</summary>
public class TfLiteChecksTests
{
    private static TfLiteModelInfo Exported()
    {
        using var model = TestModels.Input(2, 8, 8)
            .Conv("conv", 4, 3, activation: Activation.Relu)
            .Flatten("flatten")
            .Dense("output", 3)
            .Build("Checked");
        TestPruning.Prune(model, "output", 0.5);
        return TfLiteReader.Read(TfLiteExporter.Export(model, new ExportOptions()));
    }

    [Fact]
    public void A_file_the_exporter_wrote_passes_every_check() => Assert.Empty(TfLiteChecks.Problems(Exported()));

    [Fact]
    public void An_operator_reading_a_tensor_that_does_not_exist_or_is_not_computed_yet_is_a_problem()
    {
        var model = Exported();
        var operators = model.Operators.ToList();
        operators[0] = operators[0] with { Inputs = [99, .. operators[0].Inputs.Skip(1)] };
        Assert.Contains("Operator 0 (CONV_2D) reads tensor 99, but the subgraph has", Assert.Single(TfLiteChecks.Problems(model with { Operators = operators })));

        var reversed = model with { Operators = [.. model.Operators.Reverse()] };
        Assert.Contains(TfLiteChecks.Problems(reversed), p => p.Contains("before any operator writes it", StringComparison.Ordinal));
    }

    [Fact]
    public void A_constant_whose_bytes_do_not_match_its_shape_and_a_dangling_signature_are_problems()
    {
        var model = Exported();
        var tensors = model.Tensors.ToList();
        var weight = tensors.Single(t => t.Name == "conv/weight");
        tensors[weight.Index] = weight with { ByteSize = weight.ByteSize - 4 };
        var signature = model.Signatures[0] with { Outputs = new Dictionary<string, int> { ["output"] = 500 } };
        var problems = TfLiteChecks.Problems(model with { Tensors = tensors, Signatures = [signature] });
        Assert.Contains(problems, p => p.Contains("conv/weight", StringComparison.Ordinal) && p.Contains("its shape needs 288", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("maps 'output' to tensor 500", StringComparison.Ordinal));
    }

    [Fact]
    public void MACs_count_every_weight_once_per_output_position_and_the_nonzero_ones_apart()
    {
        var costs = OperatorCosts.Of(Exported());
        var conv = costs.Single(c => c.Operator == "CONV_2D");
        Assert.Equal(6 * 6 * 4 * 3 * 3 * 2, conv.MultiplyAccumulates);      // 6×6 output positions × 4 filters of 3×3×2
        Assert.Equal((4 * 3 * 3 * 2) + 4, conv.Parameters);
        var dense = costs.Single(c => c.Operator == "FULLY_CONNECTED");
        Assert.Equal("output", dense.Layer);
        Assert.Equal(3 * 144, dense.MultiplyAccumulates);
        Assert.Equal(3 * 144 / 2, dense.NonzeroMultiplyAccumulates);        // half of its weights pruned
        Assert.All(costs.Where(c => c.Operator is "RESHAPE"), c => Assert.Equal(0, c.MultiplyAccumulates));
    }
}
