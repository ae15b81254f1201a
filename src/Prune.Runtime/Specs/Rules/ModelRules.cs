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
}
