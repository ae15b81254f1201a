using System.Globalization;

namespace Prune.Pipeline;

/// <summary>
/// The accuracy of a model that learned nothing: always answering the most common class of the samples. A model no
/// better than that is noise, whatever its loss says: the build warns about such a baseline (PRB015), and does not
/// blame the exporter when LiteRT disagrees with such a model (PRB009).
/// </summary>
/// <param name="Accuracy">The share of the samples whose label is the most common one.</param>
/// <param name="Samples">How many samples that share is of.</param>
internal sealed record ChanceLevel(double Accuracy, long Samples)
{
    public static ChanceLevel Of(IReadOnlyCollection<long> labels) =>
        new(labels.Count == 0 ? 0 : labels.CountBy(l => l).Max(c => c.Value) / (double)labels.Count, labels.Count);

    /// <summary>Whether a model with <paramref name="accuracy"/> on these samples is no better than chance.</summary>
    public bool LearnedNothing(double accuracy) => accuracy <= Accuracy;

    /// <summary>The comparison in words, for messages: <c>40.4 % accuracy, no better than … (62.3 % of 114 test samples)</c>.</summary>
    public string Compare(double accuracy) => string.Create(CultureInfo.InvariantCulture,
        $"{accuracy:P1} accuracy, no better than always answering the most common class ({Accuracy:P1} of {Samples:N0} test samples)");
}
