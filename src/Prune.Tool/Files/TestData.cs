using Prune.Data;
using Prune.Pipeline;

namespace Prune.Tool.Files;

/// <summary>
/// Test samples for <c>dotnet prune profile --data</c>, prepared as the file's input takes them: MNIST's test images
/// scaled to [0, 1] (or normalized, when the file's model declared [Normalize]), or a CSV file's rows standardized with the statistics the file carries in its
/// <see cref="InputPreprocessing.MetadataName"/> metadata entry (the build wrote them there from the training split).
/// </summary>
/// <param name="Description">What the samples are, for the printed accuracy.</param>
/// <param name="Samples">One row per sample, in the file's input layout.</param>
/// <param name="Labels">The samples' classes.</param>
/// <param name="Binary">Whether the file has one output (a sigmoid or a logit) instead of one per class.</param>
/// <param name="OutputsProbability">For one output: whether it is a probability (ends in LOGISTIC) rather than a logit.</param>
internal sealed record TestData(string Description, float[][] Samples, IReadOnlyList<int> Labels, bool Binary, bool OutputsProbability)
{
    /// <exception cref="ToolException">The data is missing, unreadable, or does not fit the file.</exception>
    public static TestData Load(string data, string labelColumn, TfLiteFile file)
    {
        var binary = file.Output.ElementCount == 1;
        var probability = file.Contents.Operators.Count > 0 && file.Contents.Operators[^1].Name == "LOGISTIC";
        var preprocessing = file.Contents.Metadata.TryGetValue(InputPreprocessing.MetadataName, out var json) ? InputPreprocessing.FromJson(json) : null;
        if (data == "mnist")
        {
            const int pixels = Mnist.Side * Mnist.Side;
            if (file.SampleSize != pixels)
                throw new ToolException($"{file.Path} takes {file.SampleSize:N0} values per sample; an MNIST image has {pixels}.");
            var (images, labels) = Mnist.TestImages(int.MaxValue);
            if (preprocessing is not null) images = [.. images.Select(preprocessing.PrepareGrayscale)];
            return new TestData($"the {labels.Length:N0} MNIST test images", images, [.. labels.Select(l => (int)l)], binary, probability);
        }
        var path = Path.GetFullPath(data);
        if (!File.Exists(path)) throw new ToolException($"--data names no file: {path}. It takes 'mnist' or a CSV file.");
        if (preprocessing?.Features is not { } features)
            throw new ToolException($"{file.Path} does not say how to standardize CSV features (no '{InputPreprocessing.MetadataName}' metadata with features): it was not built from CSV data by Prune.");
        CsvTable table;
        try
        {
            table = CsvTable.Read(path);
        }
        catch (DataFormatException e)
        {
            throw new ToolException(e.Message);
        }
        int Column(string name) => Array.IndexOf(table.Header, name) is var i and >= 0
            ? i : throw new ToolException($"{path} has no column '{name}' (its columns: {string.Join(", ", table.Header)}).");
        var label = Column(labelColumn);
        var columns = features.Select(Column).ToArray();
        var samples = table.Rows.Select(row => preprocessing.Standardize([.. columns.Select(c => row[c])])).ToArray();
        return new TestData($"the {table.Rows.Count:N0} rows of {Path.GetFileName(path)}", samples, [.. table.Rows.Select(row => (int)row[label])], binary, probability);
    }

    /// <summary>The class an output row picks.</summary>
    public int Predict(float[] output) => Binary
        ? output[0] > (OutputsProbability ? 0.5f : 0f) ? 1 : 0
        : Array.IndexOf(output, output.Max());
}
