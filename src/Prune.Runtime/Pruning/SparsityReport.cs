using System.Globalization;
using System.Text;

namespace Prune.Pruning;

/// <summary>One weight layer's sparsity.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Target">The final sparsity its pruning aims at (1 − m/n for m:n), or null when it is not pruned.</param>
/// <param name="Achieved">The fraction of its weight's entries that are exactly zero.</param>
/// <param name="Zeros">Entries of the weight that are exactly zero.</param>
/// <param name="Parameters">Entries of the weight (biases are not counted: they are never pruned).</param>
internal sealed record LayerSparsity(string Layer, double? Target, double Achieved, long Zeros, long Parameters);

/// <summary>Per-layer sparsity of a model's weights, pruned or not.</summary>
internal static class SparsityReport
{
    /// <summary>One row per weight layer of <paramref name="model"/>, in order.</summary>
    public static IReadOnlyList<LayerSparsity> Of(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Layers.OfType<WeightLayer>().Select(layer =>
        {
            using var isZero = layer.Weight.detach().eq(0);
            using var count = isZero.sum();
            var zeros = count.item<long>();
            var parameters = layer.Weight.numel();
            return new LayerSparsity(layer.Spec.Name, layer.Spec.Pruning?.TargetSparsity, (double)zeros / parameters, zeros, parameters);
        }).ToList();
    }

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
