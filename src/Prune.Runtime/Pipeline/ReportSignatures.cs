using System.Globalization;
using System.Text;
using Prune.Export;
using Prune.Specs;
using static Prune.Pipeline.ReportMarkdown;

namespace Prune.Pipeline;

/// <summary>
/// The report's section for a program that calls the <c>.tflite</c> files, in any language: each file's signature as
/// read back from it (names, dtypes, shapes), what the output means, and what the input must have been through.
/// </summary>
internal static class ReportSignatures
{
    public static void Render(StringBuilder md, PruneReport report)
    {
        Line(md, "## Calling the .tflite files");
        Line(md, "");
        Line(md, "Each file's signature, as read back from it (run it by signature, or by the subgraph's single input and output):");
        Line(md, "");
        Line(md, "| file | signature | tensor | name | dtype | shape |");
        Line(md, "|---|---|---|---|---|---|");
        foreach (var (file, contents) in report.TfLiteFiles)
        {
            foreach (var signature in contents.Signatures)
            {
                foreach (var (role, tensors) in new[] { ("input", signature.Inputs), ("output", signature.Outputs) })
                {
                    foreach (var (name, index) in tensors)
                    {
                        var tensor = contents.Tensors[index];
                        Line(md, $"| `{file}` | `{signature.Key}` | {role} | `{name}` | {TypeName(tensor.Type)} | [{string.Join(", ", tensor.Shape)}] |");
                    }
                }
            }
        }
        Line(md, "");
        Line(md, $"Both files take and return float32; the int8 file quantizes inside. **Output**: {OutputMeaning(report.Model)}");
        Line(md, "");
        RenderPreprocessing(md, report.Preprocessing, report.Model.InputShape);
    }

    /// <summary>The schema's name of a tensor type, as TensorFlow spells dtypes: <c>float32</c>, <c>int8</c>.</summary>
    public static string TypeName(TfLiteTensorType type) => Enum.IsDefined(type) ? type.ToString().ToLowerInvariant() : $"type {(int)type}";

    /// <summary>What the output holds, in the one reading training and verification use (<see cref="OutputReading"/>).</summary>
    private static string OutputMeaning(ModelSpec spec)
    {
        var output = spec.Output;
        return (output.AreProbabilities, output.IsBinary) switch
        {
            (false, true) => "one logit; its sigmoid is the probability of label 1 (a positive logit means 1).",
            (false, false) => string.Create(CultureInfo.InvariantCulture, $"{output.Values} logits, one per class; the largest is the predicted class, their softmax the probabilities."),
            (true, true) => "the probability of label 1 (above 0.5 means 1).",
            (true, false) => string.Create(CultureInfo.InvariantCulture, $"{output.Values} probabilities, one per class (the last layer's softmax); the largest is the predicted class."),
        };
    }

    private static void RenderPreprocessing(StringBuilder md, InputPreprocessing preprocessing, TensorShape input)
    {
        Line(md, $"**Input preprocessing** (every file also carries it as JSON in its metadata entry `{InputPreprocessing.MetadataName}`):");
        Line(md, "");
        if (preprocessing.PixelScale is not null || preprocessing.PixelMean is not null)
        {
            var (channels, height, width) = (input[0], input[1], input[2]);
            var pixels = preprocessing is { PixelMean: { } means, PixelStd: { } stds }
                ? "normalize each pixel value p (0–255) of channel c as declared ([Normalize]): `(p - mean[c]) / std[c]`, mean ["
                    + string.Join(", ", means.Select(m => m.ToString("G6", CultureInfo.InvariantCulture))) + "], std ["
                    + string.Join(", ", stds.Select(s => s.ToString("G6", CultureInfo.InvariantCulture))) + "]."
                : string.Create(CultureInfo.InvariantCulture,
                    $"multiply each pixel value (0–255) by {preprocessing.PixelScale:G6} (divide by {1 / preprocessing.PixelScale:G4}), so inputs lie in [0, 1]; no mean is subtracted.");
            Line(md, pixels + string.Create(CultureInfo.InvariantCulture,
                $" The layout is NHWC: a [1, {height}, {width}, {channels}] float32 tensor, row by row, channels last."));
            if (preprocessing.ResizedTo is [var c, var h, var w])
                Line(md, string.Create(CultureInfo.InvariantCulture, $"The grayscale images were resized to {h}x{w} (bilinear, half-pixel centres) and their one channel repeated {c} times."));
            Line(md, "");
            return;
        }
        if (preprocessing is not { Features: { } features, Mean: { } mean, Std: { } std }) return;
        Line(md, "standardize every feature, in this order, with the training split's statistics: `x' = (x - mean) / std`. The input is a [1, "
            + features.Count.ToString(CultureInfo.InvariantCulture) + "] float32 tensor.");
        Line(md, "");
        Line(md, "| feature | mean | std |");
        Line(md, "|---|---:|---:|");
        for (var i = 0; i < features.Count; i++) Line(md, $"| {features[i]} | {mean[i]:G6} | {std[i]:G6} |");
        Line(md, "");
    }
}
