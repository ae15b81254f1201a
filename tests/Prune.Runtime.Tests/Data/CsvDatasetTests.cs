using Prune.Data;
using Prune.Runtime.Tests.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Data;

public sealed class CsvDatasetTests : IDisposable
{
    private readonly FixtureFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void The_breast_cancer_table_splits_and_standardizes_on_the_training_rows()
    {
        using var table = CsvDataset.Load(RepoFiles.BreastCancerCsv, "benign");
        Assert.Equal(30, table.FeatureNames.Count);
        Assert.Equal("mean_radius", table.FeatureNames[0]);
        Assert.Equal(114, table.Test.Count); // round(569 × 0.2)
        Assert.Equal(455, table.Train.Count);
        Assert.Equal([455L, 1], table.Train.Labels.shape);
        Assert.Equal(ScalarType.Float32, table.Train.Labels.dtype);

        using var trainMean = table.Train.Features.mean([0L]);
        using var trainStd = table.Train.Features.std(0, unbiased: false);
        Assert.True(trainMean.abs().max().item<float>() < 1e-4);
        Assert.True((trainStd - 1).abs().max().item<float>() < 1e-3);
        using var testMean = table.Test.Features.mean([0L]);
        Assert.True(testMean.abs().max().item<float>() > 0.01, "the test split is standardized with the training statistics, not its own");
        Assert.Equal(30, table.Standardization.Mean.Length);
    }

    [Fact]
    public void The_split_depends_on_the_seed_only()
    {
        using var a = CsvDataset.Load(RepoFiles.BreastCancerCsv, "benign", seed: 1);
        using var b = CsvDataset.Load(RepoFiles.BreastCancerCsv, "benign", seed: 1);
        using var c = CsvDataset.Load(RepoFiles.BreastCancerCsv, "benign", seed: 2);
        Assert.True(a.Test.Features.equal(b.Test.Features).all().item<bool>());
        Assert.NotEqual(a.Standardization.Mean, c.Standardization.Mean);
    }

    [Fact]
    public void Integer_labels_beyond_0_and_1_become_class_indices()
    {
        var path = Csv("x,y,class", "1,2,0", "2,3,2", "3,4,1", "4,5,2", "5,6,0");
        using var table = CsvDataset.Load(path, "class", testFraction: 0.4);
        Assert.Equal(ScalarType.Int64, table.Train.Labels.dtype);
        Assert.Equal([3L], table.Train.Labels.shape);
        Assert.Equal(["x", "y"], table.FeatureNames);
    }

    [Fact]
    public void Bad_cells_and_shapes_are_reported_with_file_line_and_column()
    {
        var text = Csv("a,b,label", "1,2,0", "1,oops,1");
        var error = Assert.Throws<DataFormatException>(() => CsvDataset.Load(text, "label"));
        Assert.Equal(text, error.Path);
        Assert.Contains("line 3, column 'b': 'oops' is not a finite number", error.Message);

        var ragged = Csv("a,b,label", "1,2,0", "1,1");
        Assert.Contains("line 3: 2 values for 3 columns", Assert.Throws<DataFormatException>(() => CsvDataset.Load(ragged, "label")).Message);

        var noLabel = Csv("a,b", "1,2", "3,4");
        Assert.Contains("no column named 'label'", Assert.Throws<DataFormatException>(() => CsvDataset.Load(noLabel, "label")).Message);

        var fractional = Csv("a,label", "1,0.5", "2,1", "3,0");
        Assert.Contains("not a class index", Assert.Throws<DataFormatException>(() => CsvDataset.Load(fractional, "label")).Message);

        var empty = Csv("a,label");
        Assert.Contains("no data rows", Assert.Throws<DataFormatException>(() => CsvDataset.Load(empty, "label")).Message);
    }

    [Theory]
    [InlineData(";", "1.5")]
    [InlineData(";", "1,5")]
    [InlineData("\t", "1,5")]
    [InlineData("\t", "1.5")]
    public void Semicolons_and_tabs_separate_like_commas_and_then_a_decimal_comma_is_read_too(string separator, string oneAndAHalf)
    {
        var rows = new[] { "x,y,class", "1.5,2,0", "2,3,1", "3,4,1", "4,5,0", "5,6,1" };
        using var comma = CsvDataset.Load(Csv(rows), "class", testFraction: 0.4);
        using var other = CsvDataset.Load(Csv(rows.Select(r => r.Replace(",", separator, StringComparison.Ordinal).Replace("1.5", oneAndAHalf, StringComparison.Ordinal)).ToArray()), "class", testFraction: 0.4);

        Assert.Equal(["x", "y"], other.FeatureNames);
        Assert.Equal(comma.Standardization.Mean, other.Standardization.Mean);
        Assert.True(comma.Train.Features.equal(other.Train.Features).all().item<bool>());
        Assert.True(comma.Test.Labels.equal(other.Test.Labels).all().item<bool>());
    }

    [Fact]
    public void A_binary_file_is_said_not_to_be_a_CSV_file()
    {
        var path = _files.Write("train-labels-idx1-ubyte", FixtureFiles.Idx([3], [1, 2, 3]));
        var error = Assert.Throws<DataFormatException>(() => CsvDataset.Load(path, "label"));
        Assert.Contains("not a text file, so not a CSV file", error.Message, StringComparison.Ordinal);
    }

    private string Csv(params string[] lines) => _files.Write($"{Guid.NewGuid():N}.csv", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
}
