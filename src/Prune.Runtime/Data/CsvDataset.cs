using System.Globalization;
using static TorchSharp.torch;

namespace Prune.Data;

/// <summary>Per-feature mean and standard deviation, fitted on the training split; features become (x − mean) / std.</summary>
/// <param name="Mean">Per-feature mean.</param>
/// <param name="Std">Per-feature population standard deviation (1 for a constant feature, so it maps to 0).</param>
public sealed record Standardization(float[] Mean, float[] Std)
{
    /// <summary>One row of raw feature values, standardized.</summary>
    internal float[] Apply(IReadOnlyList<float> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var result = new float[Mean.Length];
        for (var f = 0; f < result.Length; f++) result[f] = (row[f] - Mean[f]) / Std[f];
        return result;
    }
}

/// <summary>A table split for training and testing.</summary>
/// <param name="Train">Standardized training samples, float32 [N, F].</param>
/// <param name="Test">Test samples standardized with the training split's statistics.</param>
/// <param name="FeatureNames">The feature columns, in order.</param>
/// <param name="Standardization">The statistics applied to both splits.</param>
public sealed record TabularData(Dataset Train, Dataset Test, IReadOnlyList<string> FeatureNames, Standardization Standardization) : IDisposable
{
    /// <summary>Disposes both splits.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>
/// Numeric CSV tables with a header row: every column except the label is a feature. A label column holding only
/// 0 and 1 becomes float32 [N, 1] targets for a one-unit sigmoid output (binary cross-entropy); other non-negative
/// integers become int64 class indices.
/// </summary>
public static class CsvDataset
{
    /// <summary>
    /// Reads <paramref name="path"/>, splits it with a seeded shuffle (<paramref name="testFraction"/> of the rows,
    /// rounded, go to the test split) and standardizes both splits with statistics of the training split.
    /// </summary>
    public static TabularData Load(string path, string labelColumn, double testFraction = 0.2, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(labelColumn);
        if (testFraction is <= 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1, exclusive.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: CSV file not found.", path);

        var table = CsvTable.Read(path);
        var labelIndex = Array.IndexOf(table.Header, labelColumn);
        if (labelIndex < 0)
            throw new DataFormatException(path, $"no column named '{labelColumn}'; the columns are {string.Join(", ", table.Header)}.");
        var featureNames = table.Header.Where((_, i) => i != labelIndex).ToArray();
        if (featureNames.Length == 0) throw new DataFormatException(path, "there are no feature columns besides the label.");

        var rows = table.Rows.Count;
        var testCount = (int)Math.Round(rows * testFraction, MidpointRounding.AwayFromZero);
        if (testCount == 0 || testCount == rows)
            throw new DataFormatException(path, $"{rows} rows cannot be split {1 - testFraction:0.##}/{testFraction:0.##} with both splits non-empty.");
        var order = Shuffle.Permutation(rows, new Random(seed));
        var testRows = order[..testCount];
        var trainRows = order[testCount..];

        var labels = table.Rows.Select((r, i) => ToLabel(r[labelIndex], path, i)).ToArray();
        var binary = labels.All(l => l is 0 or 1);
        var features = table.Rows.Select(r => r.Where((_, i) => i != labelIndex).ToArray()).ToArray();
        var standardization = Fit(trainRows.Select(i => features[i]).ToArray(), featureNames.Length);

        return new TabularData(
            Build(trainRows, features, labels, binary, standardization),
            Build(testRows, features, labels, binary, standardization),
            featureNames, standardization);
    }

    private static long ToLabel(float value, string path, int row) =>
        value >= 0 && value == MathF.Floor(value)
            ? (long)value
            : throw new DataFormatException(path, $"row {row + 2}: the label {value.ToString(CultureInfo.InvariantCulture)} is not a class index (a non-negative integer).");

    private static Standardization Fit(float[][] rows, int width)
    {
        var mean = new float[width];
        var std = new float[width];
        for (var f = 0; f < width; f++)
        {
            double sum = 0, squares = 0;
            foreach (var row in rows) sum += row[f];
            var m = sum / rows.Length;
            foreach (var row in rows) squares += (row[f] - m) * (row[f] - m);
            var s = Math.Sqrt(squares / rows.Length);
            mean[f] = (float)m;
            std[f] = s > 0 ? (float)s : 1f;
        }
        return new Standardization(mean, std);
    }

    private static Dataset Build(long[] rows, float[][] features, long[] labels, bool binary, Standardization standardization)
    {
        var width = standardization.Mean.Length;
        var values = new float[rows.Length * width];
        for (var r = 0; r < rows.Length; r++) standardization.Apply(features[rows[r]]).CopyTo(values, r * width);
        var x = tensor(values, [rows.Length, width]);
        var y = binary
            ? tensor(rows.Select(r => (float)labels[r]).ToArray(), [rows.Length, 1])
            : tensor(rows.Select(r => labels[r]).ToArray());
        return new Dataset(x, y);
    }
}
