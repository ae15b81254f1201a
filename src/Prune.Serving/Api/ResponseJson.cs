using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Prune.Serving.Models;

namespace Prune.Serving.Api;

/// <summary>The JSON bodies the server answers with, in TensorFlow Serving's shapes.</summary>
internal static class ResponseJson
{
    /// <summary><c>{"predictions": [sample, …]}</c> for the row format, <c>{"outputs": [sample, …]}</c> for the columnar
    /// one: with one output tensor, both are the batch as nested lists of the output's shape.</summary>
    public static Task Predictions(HttpResponse response, float[] output, int count, TensorSignature signature, bool columnar) =>
        Write(response, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName(columnar ? "outputs" : "predictions");
            json.WriteStartArray();
            var sampleShape = signature.SampleShape;
            var size = output.Length / count;
            for (var i = 0; i < count; i++) Nested(json, output.AsSpan(i * size, size), sampleShape, 0);
            json.WriteEndArray();
            json.WriteEndObject();
        });

    /// <summary>TensorFlow Serving's <c>GetModelStatusResponse</c>, newest version first.</summary>
    public static Task Status(HttpResponse response, IEnumerable<VersionStatus> versions) =>
        Write(response, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("model_version_status");
            foreach (var version in versions)
            {
                json.WriteStartObject();
                json.WriteString("version", version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("state", version.State switch
                {
                    VersionState.Loading => "LOADING",
                    VersionState.Available => "AVAILABLE",
                    _ => "END",
                });
                json.WriteStartObject("status");
                json.WriteString("error_code", version.Error is null ? "OK" : "UNKNOWN");
                json.WriteString("error_message", version.Error ?? "");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });

    /// <summary>TensorFlow Serving's <c>GetModelMetadataResponse</c>: the <c>serving_default</c> signature def.</summary>
    public static Task Metadata(HttpResponse response, string model, long version, ModelSignature signature) =>
        Write(response, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("model_spec");
            json.WriteString("name", model);
            json.WriteString("signature_name", "");
            json.WriteString("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteStartObject("metadata");
            json.WriteStartObject("signature_def");
            json.WriteStartObject("signature_def");
            json.WriteStartObject(ModelSignature.DefaultName);
            TensorInfo(json, "inputs", signature.Input);
            TensorInfo(json, "outputs", signature.Output);
            json.WriteString("method_name", "tensorflow/serving/predict");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        });

    /// <summary><c>{"error": message}</c>, as every TensorFlow Serving error is answered.</summary>
    public static Task Error(HttpResponse response, int status, string message) =>
        Write(response, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        });

    private static void TensorInfo(Utf8JsonWriter json, string property, TensorSignature tensor)
    {
        json.WriteStartObject(property);
        json.WriteStartObject(tensor.Name);
        json.WriteString("dtype", "DT_FLOAT");
        json.WriteStartObject("tensor_shape");
        json.WriteStartArray("dim");
        foreach (var size in tensor.Shape)
        {
            json.WriteStartObject();
            json.WriteString("size", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("name", "");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteBoolean("unknown_rank", false);
        json.WriteEndObject();
        json.WriteString("name", tensor.Name);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Nested(Utf8JsonWriter json, ReadOnlySpan<float> values, IReadOnlyList<long> shape, int depth)
    {
        if (depth == shape.Count)
        {
            // JSON has no NaN; TensorFlow Serving writes the token NaN (its documented extension).
            if (float.IsFinite(values[0])) json.WriteNumberValue(values[0]);
            else json.WriteRawValue(float.IsNaN(values[0]) ? "NaN" : values[0] > 0 ? "Infinity" : "-Infinity", skipInputValidation: true);
            return;
        }
        json.WriteStartArray();
        var inner = values.Length / (int)shape[depth];
        for (var i = 0; i < shape[depth]; i++) Nested(json, values.Slice(i * inner, inner), shape, depth + 1);
        json.WriteEndArray();
    }

    /// <summary>Messages keep their quotes readable (<c>'input'</c>, not <c>\u0027input\u0027</c>): these bodies are JSON for
    /// API clients, never embedded in HTML.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task Write(HttpResponse response, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions)) write(json);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
    }
}
