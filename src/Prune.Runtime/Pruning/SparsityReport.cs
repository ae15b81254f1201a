using System.Globalization;
using System.Text;
using Prune.Specs;

namespace Prune.Pruning;

/// <summary>One weight layer's sparsity.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Target">The final sparsity its pruning aims at (1 − m/n for m:n), or null when it is not pruned.</param>
/// <param name="Achieved">The fraction of its weight's entries that are exactly zero.</param>
/// <param name="Zeros">Entries of the weight that are exactly zero.</param>
/// <param name="Parameters">Entries of the weight (biases are not counted: they are never pruned).</param>
/// <param name="Removed">What filter pruning removed from the weight (whole output channels, or the inputs that read removed
/// channels), or null when the weight kept its shape.</param>
internal sealed record LayerSparsity(string Layer, double? Target, double Achieved, long Zeros, long Parameters, WeightRemoval? Removed = null);

/// <summary>The part of a layer's weight that filter pruning removed: it shrank from [outputs, inputs, …] to [outputs kept,
/// inputs kept, …], and those weights are gone from the exported model, not zeros in it.</summary>
/// <param name="OutputsKept">Output channels (units) kept.</param>
/// <param name="Outputs">Output channels (units) declared.</param>
/// <param name="InputsKept">Input channels (features) kept: the weight's dimension 1.</param>
/// <param name="Inputs">Input channels (features) declared.</param>
/// <param name="WeightsKept">Entries of the smaller weight.</param>
internal sealed record WeightRemoval(long OutputsKept, long Outputs, long InputsKept, long Inputs, long WeightsKept);

/// <summary>Per-layer sparsity of a model's weights, pruned or not.</summary>
internal static class SparsityReport
{
    /// <summary>One row per weight layer of <paramref name="model"/>, in order; where <paramref name="shrunk"/> (the smaller
    /// model filter pruning's strip built from it) has a smaller weight, the row says what was removed.</summary>
    public static IReadOnlyList<LayerSparsity> Of(Model model, ModelSpec? shrunk = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Layers.Select((layer, index) => (layer, index)).Where(l => l.layer is WeightLayer).Select(l =>
        {
            var layer = (WeightLayer)l.layer;
            using var isZero = layer.Weight.detach().eq(0);
            using var count = isZero.sum();
            var zeros = count.item<long>();
            var parameters = layer.Weight.numel();
            var removed = shrunk?.Layers[l.index].Weight is { } after ? Removal(layer.Spec.Weight!, after) : null;
            return new LayerSparsity(layer.Spec.Name, layer.Spec.Pruning?.TargetSparsity, (double)zeros / parameters, zeros, parameters, removed);
        }).ToList();
    }

    private static WeightRemoval? Removal(WeightSpec before, WeightSpec after) =>
        before.Shape.SequenceEqual(after.Shape) ? null
            : new WeightRemoval(after.Shape[0], before.Shape[0], after.Shape[1], before.Shape[1], after.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>The rows as a Markdown table.</summary>
    public static string ToMarkdown(IEnumerable<LayerSparsity> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine("| layer | target | achieved | zeros | weights |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var target = r.Target is { } t ? t.ToString("P1", CultureInfo.InvariantCulture) : "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Layer} | {target} | {r.Achieved.ToString("P2", CultureInfo.InvariantCulture)} | {r.Zeros} | {r.Parameters} |");
        }
        return text.ToString();
    }
}
