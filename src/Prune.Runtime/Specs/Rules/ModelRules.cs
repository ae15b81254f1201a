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
}
