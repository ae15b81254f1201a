using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>
/// The order of a Dense layer's columns in the exported file. After a Flatten of a [C, H, W] image, TorchSharp's
/// columns run (c, h, w) and TFLite's (h, w, c), as Keras's do: export reorders them, and block patterns are cut in
/// the exported order, the one LiteRT's block-sparse kernels (and tfmot) see.
/// </summary>
internal static class ExportColumnOrder
{
    /// <summary>For each exported column, the TorchSharp column it holds; null when the two orders agree.</summary>
    public static long[]? Of(ModelSpec model, int layerIndex)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Layers[layerIndex] is not DenseSpec) return null;
        // Back along the layers it reads, through those that pass their input on at inference (a Dropout).
        var graph = model.Graph;
        for (var i = graph.InputOf(layerIndex); i != LayerGraph.ModelInput; i = graph.InputOf(i))
        {
            var layer = model.Layers[i];
            if (layer is FlattenSpec && layer.InputShape.Rank == 3) return HwcOfChw(layer.InputShape[0], layer.InputShape[1], layer.InputShape[2]);
            if (!layer.IsIdentityAtInference) return null;
        }
        return null;
    }

    /// <summary>Column h·W·C + w·C + c (TFLite's flatten) holds TorchSharp's column c·H·W + h·W + w.</summary>
    public static long[] HwcOfChw(int channels, int height, int width)
    {
        var order = new long[channels * height * width];
        for (var c = 0; c < channels; c++)
            for (var h = 0; h < height; h++)
                for (var w = 0; w < width; w++)
                    order[(h * width + w) * channels + c] = (c * height + h) * width + w;
        return order;
    }
}
