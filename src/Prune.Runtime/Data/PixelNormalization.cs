using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Data;

/// <summary>
/// Images normalized as a model declares (<see cref="NormalizeAttribute"/>): each pixel value p (0–255) of channel c becomes
/// (p − mean[c]) / std[c]. The images arrive as p / 255 (<see cref="Mnist.PixelScale"/>), so this is one multiply and one
/// subtraction per channel.
/// </summary>
internal static class PixelNormalization
{
    /// <summary>The images of <paramref name="data"/> normalized, as a new dataset.</summary>
    public static Dataset Apply(Dataset data, NormalizationSpec normalization)
    {
        var channels = (int)data.Features.shape[1];
        var perChannel = Enumerable.Range(0, channels);
        using var scale = tensor(perChannel.Select(c => (float)(Mnist.PixelScale / normalization.StdOf(c))).ToArray()).reshape(1, channels, 1, 1);
        using var shift = tensor(perChannel.Select(c => (float)(normalization.MeanOf(c) / normalization.StdOf(c))).ToArray()).reshape(1, channels, 1, 1);
        using var scaled = data.Features * scale;
        return new Dataset(scaled - shift, data.Labels.clone());
    }
}
