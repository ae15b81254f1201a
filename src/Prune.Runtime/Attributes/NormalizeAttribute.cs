namespace Prune;

/// <summary>
/// The input normalization an image model expects: each pixel value <c>p</c> (0–255) of channel <c>c</c> reaches the model
/// as <c>(p − mean[c]) / std[c]</c>, in training, in testing and in the checks of the exported files. Without it, inputs
/// are <c>p / 255</c>. Pretrained weights usually expect their own (the ML.NET package's ResNet-18: BGR means 103.06,
/// 115.90, 123.15, no scaling; torchvision's: RGB means 123.675, 116.28, 103.53 and std 58.395, 57.12, 57.375). It is
/// preprocessing outside the model: the exported files take normalized inputs, and carry the normalization in their
/// <c>prune_preprocessing</c> metadata entry and report, so a program holding only the file can prepare its input.
/// </summary>
/// <example>
/// <code>
/// [Model(3, 32, 32)]
/// [Normalize(mean: new[] { 103.06, 115.90, 123.15 }, std: new[] { 1.0 })]
/// public partial class Transfer { ... }
/// </code>
/// </example>
/// <param name="mean">Per channel, in pixel values (0–255); one value for every channel, or one per channel.</param>
/// <param name="std">Per channel, in pixel values, each greater than 0; one value for every channel, or one per channel.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NormalizeAttribute(double[] mean, double[] std) : Attribute
{
    /// <summary>What is subtracted from each channel's pixel values (0–255).</summary>
    public IReadOnlyList<double> Mean { get; } = mean;

    /// <summary>What each channel's centred pixel values are divided by.</summary>
    public IReadOnlyList<double> Std { get; } = std;
}
