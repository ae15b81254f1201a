using System.Globalization;
using Prune.Data;
using static TorchSharp.torch;

namespace Prune.Pipeline;

/// <summary>
/// What a model's labels hold: every class of the whole data (both splits, so a class that lands only in the test
/// split counts too), and the test split's chance level, the accuracy of a model that learned nothing.
/// </summary>
/// <param name="Binary">Whether the labels are 0/1 targets of a one-output model (float32 [N, 1]).</param>
/// <param name="Classes">The distinct labels, ascending.</param>
/// <param name="Chance">The test split's chance level.</param>
internal sealed record DataLabels(bool Binary, long[] Classes, ChanceLevel Chance)
{
    /// <summary>Lists at most this many labels, then elides the middle.</summary>
    private const int Listed = 10;

    public static DataLabels Of(Dataset train, Dataset test)
    {
        var binary = train.Labels.dtype == ScalarType.Float32;
        var testLabels = Values(test);
        var classes = Values(train).Concat(testLabels).Distinct().Order().ToArray();
        return new DataLabels(binary, classes, ChanceLevel.Of(testLabels));
    }

    /// <summary>The labels as a reader wants them: <c>0, 1, 2</c>, or <c>0, 1, 2, …, 99 (100 labels)</c>.</summary>
    public override string ToString() => Classes.Length <= Listed
        ? string.Join(", ", Classes.Select(Text))
        : string.Join(", ", Classes.Take(Listed - 1).Select(Text)) + ", …, " + Text(Classes[^1]) + $" ({Classes.Length} labels)";

    private static string Text(long label) => label.ToString(CultureInfo.InvariantCulture);

    private static long[] Values(Dataset data)
    {
        using var scope = NewDisposeScope();
        return data.Labels.to_type(ScalarType.Int64).flatten().data<long>().ToArray();
    }
}
