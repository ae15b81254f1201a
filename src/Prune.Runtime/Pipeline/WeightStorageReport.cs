using Prune.Export;
using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>How one weight tensor is stored in one written file, as read back from it.</summary>
/// <param name="File">The file's name.</param>
/// <param name="Layer">The layer the weight belongs to.</param>
/// <param name="Operator">The operator that reads it, with <c>via DENSIFY</c> when a DENSIFY op expands it first.</param>
/// <param name="Layout">dense, CSR, or 1xN blocks.</param>
/// <param name="Bytes">The bytes its values take (the sparse values only, without their indices).</param>
/// <param name="Note">Why the layout differs from what the layer's pattern asks for, or how it was fitted; null when nothing needs saying.</param>
internal sealed record WeightStorageRow(string File, string Layer, string Operator, string Layout, long Bytes, string? Note);

/// <summary>
/// The layout each weight tensor got in each written <c>.tflite</c> file (the exporter chooses the smallest that LiteRT
/// runs), read back from the files, with a note where a declared block pattern has no layout of its own in LiteRT.
/// </summary>
internal static class WeightStorageReport
{
    public static IReadOnlyList<WeightStorageRow> Of(ModelSpec spec, IReadOnlyList<ReadBackFile> files) =>
        files.SelectMany(f => Rows(spec, f)).ToList();

    private static IEnumerable<WeightStorageRow> Rows(ModelSpec spec, ReadBackFile file)
    {
        var model = file.Contents;
        var densified = model.Operators.Where(o => o.Name == "DENSIFY").ToDictionary(o => o.Outputs[0], o => o.Inputs[0]);
        foreach (var op in model.Operators.Where(o => o.Name is "CONV_2D" or "DEPTHWISE_CONV_2D" or "FULLY_CONNECTED" && o.Inputs.Count > 1))
        {
            var throughDensify = densified.TryGetValue(op.Inputs[1], out var storedIndex);
            var weight = model.Tensors[throughDensify ? storedIndex : op.Inputs[1]];
            var layerName = weight.Name.Split('/')[0];
            var layer = spec.Layers.FirstOrDefault(l => l.Name == layerName);
            yield return new WeightStorageRow(file.File, layerName, throughDensify ? $"{op.Name} via DENSIFY" : op.Name, weight.Layout, weight.ByteSize,
                Note(layer, weight));
        }
    }

    private static string? Note(LayerSpec? layer, TfLiteTensorInfo weight)
    {
        if (layer?.Pruning?.MultiWeightBlock is not { } block) return null;
        if (weight.BlockWidth > 1)
        {
            var columns = layer.InputShape.Rank == 1 ? layer.InputShape[0] : 0;
            return weight.Shape[^1] > columns && columns > 0
                ? $"{columns} columns padded with zeros to {weight.Shape[^1]} (whole blocks), the input by a PAD op"
                : null;
        }
        return $"pruned in {block} blocks, but LiteRT's block-sparse kernels read only FULLY_CONNECTED weights in 1x4 (float) or 1x16 (int8) blocks: stored {weight.Layout}, the smallest layout it runs here";
    }
}
