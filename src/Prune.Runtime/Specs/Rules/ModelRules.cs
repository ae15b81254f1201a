using static System.FormattableString;

namespace Prune.Specs.Rules;

/// <summary>Rules about the model as a whole: the shape of one input sample, and what its last layer outputs.</summary>
internal static class ModelRules
{
    public static Problem? InputShape(IReadOnlyList<int> shape) => shape.Count is 1 or 3 && shape.All(d => d >= 1) ? null
        : new Problem(Rule.InvalidInputShape, Invariant(
            $"Input shape {Formats.Shape(shape)} is not supported: give channels, height and width for images (e.g. [Model(1, 28, 28)]) or the feature count for tabular data (e.g. [Model(30)]), every dimension 1 or more"));

    /// <summary>
    /// A classifier's output is one value per class, [classes] or [classes, 1, 1]: TorchSharp (NCHW) and an exported
    /// file (NHWC) then hold its values in the same order, so training, the report and every file read them alike.
    /// </summary>
    public static Problem? Output(string lastLayer, IReadOnlyList<int> output) => output.Count == 1 || (output.Count == 3 && output[1] == 1 && output[2] == 1) ? null
        : new Problem(Rule.OutputNotAVector, Invariant(
            $"Layer '{lastLayer}' is the last layer, and its output {Formats.Shape(output)} is not one value per class: a model's output is [classes] or [classes, 1, 1]; end it with a Dense layer (after [Flatten] or [GlobalAveragePool2D]), or shrink the last convolution's output to 1x1"));

    /// <summary>
    /// A layer reads the output of a layer declared before it: its own input (by default the layer right before it) and
    /// an Add's shortcut. <paramref name="earlier"/> holds the names declared before <paramref name="layer"/>.
    /// </summary>
    public static Problem? ReadsEarlierLayer(string layer, string what, string name, ICollection<string> earlier) => earlier.Contains(name) ? null
        : new Problem(Rule.UnknownInput, Invariant(
            $"Layer '{layer}': its {what} '{name}' is not a layer declared before it; name an earlier layer's field (nameof(field))"));

    /// <summary>Every layer's output is read by a later layer, except the last layer's, which is the model's output: a
    /// branch that leads nowhere is a mistake (an Add that names the wrong layer, a forgotten shortcut).</summary>
    public static Problem OutputNotRead(string layer, string lastLayer) => new(Rule.OutputNotRead, Invariant(
        $"Layer '{layer}': no layer reads its output, and only the last layer ('{lastLayer}') is the model's output; read it with a later layer's Input or an Add, or remove it"));

    /// <summary>
    /// [Normalize] is for images ([C, H, W]); its mean and std give one value, or one per channel; each std is greater
    /// than 0 and each value finite.
    /// </summary>
    public static Problem? Normalization(IReadOnlyList<int> inputShape, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        string? problem = null;
        if (inputShape.Count != 3)
            problem = Invariant($"the input {Formats.Shape(inputShape)} is not an image; it normalizes the pixels of [C, H, W] inputs");
        else if (!Fits(mean.Count, inputShape[0]) || !Fits(std.Count, inputShape[0]))
            problem = Invariant($"it gives {mean.Count} mean(s) and {std.Count} std(s) for {inputShape[0]} channel(s); give one value for every channel, or one per channel");
        else if (mean.Any(m => double.IsNaN(m) || double.IsInfinity(m)) || std.Any(s => !(s > 0) || double.IsInfinity(s)))
            problem = Invariant($"mean [{string.Join(", ", mean.Select(Formats.Number))}] and std [{string.Join(", ", std.Select(Formats.Number))}] must be finite, and every std greater than 0");
        return problem is null ? null : new Problem(Rule.InvalidNormalization, "[Normalize]: " + problem);
    }

    private static bool Fits(int count, int channels) => count == 1 || count == channels;
}
