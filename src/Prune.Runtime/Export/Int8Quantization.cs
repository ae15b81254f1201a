namespace Prune.Export;

/// <summary>
/// The TFLite converter's int8 rules: activations per tensor, asymmetric, over [min(min, 0), max(max, 0)];
/// weights symmetric in [−127, 127] (so 0 stays exactly 0); biases int32 with scale input × weight scale.
/// </summary>
internal static class Int8Quantization
{
    /// <summary>Scale and zero point that map [min, max] (widened to hold 0) onto [−128, 127].</summary>
    public static (float Scale, long ZeroPoint) Activation(float min, float max)
    {
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        if (max - min < 1e-8f) max = min + 1e-8f;
        var scale = (max - min) / 255f;
        var zeroPoint = (long)Math.Round(-128 - min / scale, MidpointRounding.AwayFromZero);
        return (scale, Math.Clamp(zeroPoint, -128, 127));
    }

    /// <summary>Symmetric scales, one per slice along <paramref name="axis"/> (or one for the tensor when axis is null).</summary>
    public static float[] WeightScales(float[] values, int[] shape, int? axis)
    {
        var count = axis is { } a ? shape[a] : 1;
        var inner = 1;
        if (axis is { } ax) for (var d = ax + 1; d < shape.Length; d++) inner *= shape[d];
        var maxAbs = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            var c = axis is null ? 0 : i / inner % count;
            maxAbs[c] = Math.Max(maxAbs[c], Math.Abs(values[i]));
        }
        // An all-zero (fully pruned) channel still needs a positive scale; its values stay 0 whatever it is.
        return maxAbs.Select(m => m > 0 ? m / 127f : 1f / 127f).ToArray();
    }

    public static sbyte[] QuantizeWeights(float[] values, int[] shape, int? axis, float[] scales)
    {
        var count = scales.Length;
        var inner = 1;
        if (axis is { } ax) for (var d = ax + 1; d < shape.Length; d++) inner *= shape[d];
        var result = new sbyte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var scale = scales[axis is null ? 0 : i / inner % count];
            result[i] = (sbyte)Math.Clamp(Math.Round(values[i] / scale, MidpointRounding.AwayFromZero), -127, 127);
        }
        return result;
    }

    public static int[] QuantizeBias(float[] bias, float inputScale, float[] weightScales) =>
        bias.Select((b, c) =>
        {
            var scale = (double)inputScale * weightScales[weightScales.Length == 1 ? 0 : c];
            return (int)Math.Clamp(Math.Round(b / scale, MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue);
        }).ToArray();
}
