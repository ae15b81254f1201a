using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Data;

/// <summary>
/// Grayscale images brought to the [C, H, W] a model declares: resized bilinearly to H×W (PyTorch's interpolate, half-pixel
/// centres) and the one channel repeated C times. MNIST's 28×28 digits become the 3×32×32 input of a backbone pretrained
/// on colour images (tfmot's transfer-learning example feeds its MobileNetV2 the same).
/// </summary>
internal static class ImageResize
{
    /// <summary>Whether images of <paramref name="sample"/> shape can be brought to <paramref name="target"/>: one channel
    /// to one or three, any size.</summary>
    public static bool Applies(long[] sample, TensorShape target) =>
        sample is [1, _, _] && target is { Rank: 3 } && target[0] is 1 or 3 && !sample.SequenceEqual(target.Select(d => (long)d));

    /// <summary>The images of <paramref name="data"/> at <paramref name="target"/>, as a new dataset (the channels share memory).</summary>
    public static Dataset To(Dataset data, TensorShape target)
    {
        var resized = nn.functional.interpolate(data.Features, [target[1], target[2]], mode: InterpolationMode.Bilinear, align_corners: false);
        var features = target[0] == 1 ? resized : resized.expand(-1, target[0], -1, -1);
        return new Dataset(features, data.Labels.clone());
    }
}
