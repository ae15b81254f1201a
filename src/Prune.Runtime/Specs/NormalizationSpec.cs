namespace Prune.Specs;

/// <summary>
/// The input normalization an image model declares with <see cref="NormalizeAttribute"/>: a pixel value <c>p</c> (0–255)
/// of channel <c>c</c> becomes <c>(p − Mean[c]) / Std[c]</c>. One value applies to every channel.
/// </summary>
public sealed record NormalizationSpec
{
    /// <summary>Subtracted from each channel's pixel values: one value, or one per channel.</summary>
    public required IReadOnlyList<double> Mean { get; init; }

    /// <summary>Divides each channel's centred pixel values: one value, or one per channel; each greater than 0.</summary>
    public required IReadOnlyList<double> Std { get; init; }

    /// <summary>Channel <paramref name="channel"/>'s mean.</summary>
    public double MeanOf(int channel) => Mean.Count == 1 ? Mean[0] : Mean[channel];

    /// <summary>Channel <paramref name="channel"/>'s standard deviation.</summary>
    public double StdOf(int channel) => Std.Count == 1 ? Std[0] : Std[channel];

    /// <inheritdoc/>
    public bool Equals(NormalizationSpec? other) => other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Mean.Count, Std.Count, Mean.FirstOrDefault(), Std.FirstOrDefault());

    /// <inheritdoc/>
    public override string ToString() => $"(p - [{Values(Mean)}]) / [{Values(Std)}]";

    private static string Values(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
