using System.Text.Json;
using System.Text.Json.Serialization;
using Prune.Data;

namespace Prune.Pipeline;

/// <summary>
/// What a model's input must have been through, as the data it was trained on was: image pixels (0–255) multiplied by
/// <see cref="PixelScale"/>, or each CSV feature standardized, <c>(x − mean) / std</c>, with the training split's
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

    /// <summary>Images: the factor from a pixel value (0–255) to the model's input (1/255: inputs in [0, 1]); null for features.</summary>
    public double? PixelScale { get; init; }

    /// <summary>Images: the [C, H, W] the grayscale images were resized to (bilinear, half-pixel centres) and their channel
    /// repeated to; null when they are used at their own size.</summary>
    public IReadOnlyList<int>? ResizedTo { get; init; }

    /// <summary>Features: the columns, in the order the input takes them; null for images.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Features: each column's training-split mean.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Features: each column's training-split (population) standard deviation.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Images scaled by <paramref name="scale"/>.</summary>
    public static InputPreprocessing Images(double scale) => new() { PixelScale = scale };

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
            return read is { PixelScale: > 0 } || (features > 0 && read!.Mean?.Count == features && read.Std?.Count == features) ? read : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Standardizes one row of raw feature values (in <see cref="Features"/> order) as the model expects them.</summary>
    public float[] Standardize(IReadOnlyList<float> row) => Mean is not null && Std is not null
        ? new Standardization([.. Mean], [.. Std]).Apply(row)
        : throw new InvalidOperationException("This input takes images, not features.");
}
