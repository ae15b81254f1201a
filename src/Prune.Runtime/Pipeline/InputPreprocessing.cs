using System.Text.Json;
using System.Text.Json.Serialization;
using Prune.Data;
using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>
/// What a model's input must have been through, as the data it was trained on was: image pixels (0–255) multiplied by
/// <see cref="PixelScale"/> or, when the model declares a normalization, <c>(p − PixelMean[c]) / PixelStd[c]</c> per
/// channel; or each CSV feature standardized, <c>(x − mean) / std</c>, with the training split's
/// statistics. The report prints it for callers, and every exported file carries it as the metadata entry
/// <see cref="MetadataName"/> (this record as JSON), so a program holding only the file can prepare its input.
/// </summary>
internal sealed record InputPreprocessing
{
    /// <summary>The metadata entry (in .tflite metadata and .onnx <c>metadata_props</c>) that holds this record as JSON.</summary>
    public const string MetadataName = "prune_preprocessing";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Images: the factor from a pixel value (0–255) to the model's input (1/255: inputs in [0, 1]); null for features
    /// and for normalized images.</summary>
    public double? PixelScale { get; init; }

    /// <summary>Normalized images: each channel's mean, in pixel values, subtracted first; null otherwise.</summary>
    public IReadOnlyList<double>? PixelMean { get; init; }

    /// <summary>Normalized images: each channel's standard deviation, in pixel values, divided by next; null otherwise.</summary>
    public IReadOnlyList<double>? PixelStd { get; init; }

    /// <summary>Images: the [C, H, W] the grayscale images were resized to (bilinear, half-pixel centres) and their channel
    /// repeated to; null when they are used at their own size.</summary>
    public IReadOnlyList<int>? ResizedTo { get; init; }

    /// <summary>Features: the columns, in the order the input takes them; null for images.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Features: each column's training-split mean.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Features: each column's training-split (population) standard deviation.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Images of <paramref name="channels"/> channels: normalized as declared, or else scaled by <paramref name="scale"/>.</summary>
    public static InputPreprocessing Images(double scale, NormalizationSpec? normalization, long channels)
    {
        if (normalization is null) return new() { PixelScale = scale };
        var perChannel = Enumerable.Range(0, (int)channels).ToList();
        return new() { PixelMean = [.. perChannel.Select(normalization.MeanOf)], PixelStd = [.. perChannel.Select(normalization.StdOf)] };
    }

    /// <summary>Features standardized with <paramref name="standardization"/>.</summary>
    public static InputPreprocessing Standardized(IReadOnlyList<string> features, Standardization standardization)
    {
        ArgumentNullException.ThrowIfNull(standardization);
        return new InputPreprocessing { Features = features, Mean = standardization.Mean, Std = standardization.Std };
    }

    /// <summary>The record as the metadata entry holds it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a metadata entry; null when it does not describe a preprocessing.</summary>
    public static InputPreprocessing? FromJson(string json)
    {
        try
        {
            var read = JsonSerializer.Deserialize<InputPreprocessing>(json, Json);
            var features = read?.Features?.Count;
            var normalized = read?.PixelMean?.Count > 0 && read.PixelStd?.Count == read.PixelMean.Count;
            return read is { PixelScale: > 0 } || normalized || (features > 0 && read!.Mean?.Count == features && read.Std?.Count == features) ? read : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One grayscale image's pixels, scaled to [0, 1] as MNIST is read, as a model of this preprocessing takes them:
    /// normalized with its one channel's mean and std when it has them, else as they are.</summary>
    public float[] PrepareGrayscale(float[] scaled) => PixelMean is [var mean] && PixelStd is [var std]
        ? [.. scaled.Select(v => (float)(((v * Mnist.PixelScale) - mean) / std))]
        : scaled;

    /// <summary>Standardizes one row of raw feature values (in <see cref="Features"/> order) as the model expects them.</summary>
    public float[] Standardize(IReadOnlyList<float> row) => Mean is not null && Std is not null
        ? new Standardization([.. Mean], [.. Std]).Apply(row)
        : throw new InvalidOperationException("This input takes images, not features.");
}
