using System.Text.Json;
using Prune.Serving.Models;

namespace Prune.Serving.Api;

/// <summary>A parsed predict request: the samples as one flat float array in the input's layout, and the format to answer in.</summary>
/// <param name="Values">Every sample's values, one sample after another.</param>
/// <param name="Count">Samples (the batch size).</param>
/// <param name="Columnar">Whether the request used <c>inputs</c> (answered with <c>outputs</c>), not <c>instances</c> (answered with <c>predictions</c>).</param>
internal sealed record PredictRequest(float[] Values, int Count, bool Columnar)
{
    /// <summary>
    /// Reads TensorFlow Serving's predict body: <c>{"signature_name"?, "instances": …}</c> (row format: a list of samples,
    /// each the input's value, or an object naming the input) or <c>{"signature_name"?, "inputs": …}</c> (columnar: the
    /// whole batch as one tensor, or an object naming the input). Every value must be a finite number, and every
    /// sample must have the input's shape.
    /// </summary>
    /// <exception cref="ServingException">Anything else: 400, or 404 for a signature the model does not have.</exception>
    public static PredictRequest Parse(ReadOnlySpan<byte> body, string model, ModelSignature signature)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            return ParseObject(ref reader, model, signature);
        }
        catch (JsonException e)
        {
            var rest = body[(int)Math.Min(reader.BytesConsumed, body.Length)..].TrimStart(" \t\r\n,:["u8);
            if (rest.StartsWith("NaN"u8) || rest.StartsWith("Infinity"u8) || rest.StartsWith("-Infinity"u8))
                throw Invalid("NaN and infinite values are not accepted: the model's answer to them would be meaningless.");
            throw Invalid($"JSON Parse error: {e.Message}");
        }
    }

    private static PredictRequest ParseObject(ref Utf8JsonReader reader, string model, ModelSignature signature)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Invalid("The body must be a JSON object with 'instances' or 'inputs'.");
        PredictRequest? instances = null, inputs = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString();
            reader.Read();
            switch (key)
            {
                case "signature_name":
                    var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Invalid("'signature_name' must be a string.");
                    if (!string.IsNullOrEmpty(name) && name != ModelSignature.DefaultName)
                        throw new ServingException(ServingStatus.NotFound, $"Serving signature name: \"{name}\" not found in signature def; model '{model}' has only \"{ModelSignature.DefaultName}\".");
                    break;
                case "instances":
                    if (instances is not null) throw Invalid("'instances' is given twice.");
                    instances = Rows(ref reader, signature);
                    break;
                case "inputs":
                    if (inputs is not null) throw Invalid("'inputs' is given twice.");
                    inputs = Columns(ref reader, signature);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) throw Invalid("The body must hold one JSON object.");
        return (instances, inputs) switch
        {
            (not null, not null) => throw Invalid("A request can have either 'instances' or 'inputs', but not both."),
            (null, null) => throw Invalid("Missing 'instances' or 'inputs' key."),
            _ => instances ?? inputs!,
        };
    }

    /// <summary>Row format: a list of samples, each a nested list of the input's sample shape, or <c>{"input": …}</c>.</summary>
    private static PredictRequest Rows(ref Utf8JsonReader reader, ModelSignature signature)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Invalid($"'instances' must be a list of samples, each of shape {Shape(signature.Input.SampleShape)}.");
        var values = new List<float>(signature.Input.SampleSize);
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var where = $"instances[{count}]";
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.GetString() != signature.Input.Name)
                    throw Invalid($"{where} must name the input '{signature.Input.Name}'.");
                reader.Read();
                ExpectShape(Tensor.Read(ref reader, values, where), signature.Input.SampleShape, where, signature);
                if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject) throw Invalid($"{where} names more than the model's one input '{signature.Input.Name}'.");
            }
            else
            {
                ExpectShape(Tensor.Read(ref reader, values, where), signature.Input.SampleShape, where, signature);
            }
            count++;
        }
        if (count == 0) throw Invalid("'instances' is empty: give at least one sample.");
        return new PredictRequest(values.ToArray(), count, Columnar: false);
    }

    /// <summary>Columnar format: the whole batch as one tensor, or <c>{"input": tensor}</c>.</summary>
    private static PredictRequest Columns(ref Utf8JsonReader reader, ModelSignature signature)
    {
        var named = reader.TokenType == JsonTokenType.StartObject;
        if (named && (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || reader.GetString() != signature.Input.Name || !reader.Read()))
            throw Invalid($"'inputs' must name the model's input '{signature.Input.Name}'.");
        var values = new List<float>();
        var shape = Tensor.Read(ref reader, values, "inputs");
        if (shape.Count == 0 || shape[0] == 0) throw Invalid("'inputs' is empty: give at least one sample.");
        ExpectShape(shape.Skip(1).ToList(), signature.Input.SampleShape, "each sample of 'inputs'", signature);
        if (named && (!reader.Read() || reader.TokenType != JsonTokenType.EndObject))
            throw Invalid($"'inputs' names more than the model's one input '{signature.Input.Name}'.");
        return new PredictRequest(values.ToArray(), (int)shape[0], Columnar: true);
    }

    private static void ExpectShape(IReadOnlyList<long> shape, IReadOnlyList<long> expected, string where, ModelSignature signature)
    {
        if (!shape.SequenceEqual(expected))
            throw Invalid($"{where} has shape {Shape(shape)}; the model takes samples of shape {Shape(expected)} (input '{signature.Input.Name}' is {signature.Input}).");
    }

    private static string Shape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    private static ServingException Invalid(string message) => new(ServingStatus.InvalidArgument, message);

    /// <summary>A nested JSON list of numbers read into a flat list and its shape.</summary>
    private static class Tensor
    {
        private const int MaxRank = 16;

        public static IReadOnlyList<long> Read(ref Utf8JsonReader reader, List<float> values, string where)
        {
            var shape = new long[MaxRank];
            Array.Fill(shape, -1);
            var leafDepth = -1;
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                Number(ref reader, values, where);
                return [];
            }
            ReadArray(ref reader, values, shape, 0, ref leafDepth, where);
            return shape.TakeWhile(d => d >= 0).ToArray();
        }

        private static void ReadArray(ref Utf8JsonReader reader, List<float> values, long[] shape, int depth, ref int leafDepth, string where)
        {
            if (depth >= MaxRank) throw Invalid($"{where} is nested deeper than {MaxRank} levels.");
            var count = 0L;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    if (leafDepth >= 0 && leafDepth <= depth) throw Ragged(where);
                    ReadArray(ref reader, values, shape, depth + 1, ref leafDepth, where);
                }
                else
                {
                    if (leafDepth < 0) leafDepth = depth + 1;
                    else if (leafDepth != depth + 1) throw Ragged(where);
                    Number(ref reader, values, where);
                }
                count++;
            }
            if (count == 0 && leafDepth < 0) leafDepth = depth + 1;
            if (shape[depth] < 0) shape[depth] = count;
            else if (shape[depth] != count) throw Ragged(where);
        }

        private static void Number(ref Utf8JsonReader reader, List<float> values, string where)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                var found = reader.TokenType switch
                {
                    JsonTokenType.String => "a string",
                    JsonTokenType.True or JsonTokenType.False => "a boolean",
                    JsonTokenType.Null => "null",
                    JsonTokenType.StartObject => "an object",
                    _ => reader.TokenType.ToString(),
                };
                throw Invalid($"{where} holds {found} where a number belongs: the model's input is float (DT_FLOAT).");
            }
            if (!reader.TryGetDouble(out var value) || !float.IsFinite((float)value))
                throw Invalid($"{where} holds a number that is not a finite float: {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}.");
            values.Add((float)value);
        }

        private static ServingException Ragged(string where) => Invalid($"{where} is ragged: every list at the same depth must have the same length.");
    }
}
