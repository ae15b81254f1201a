using System.Buffers.Binary;
using System.IO.Compression;

namespace Prune.Runtime.Tests.Data;

/// <summary>Writes small IDX files into a temporary directory that is deleted on dispose.</summary>
internal sealed class IdxFixtures : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("prune-idx-").FullName;

    /// <summary>An IDX file of unsigned bytes with <paramref name="dimensions"/> and <paramref name="values"/>.</summary>
    public static byte[] Idx(int[] dimensions, byte[] values)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + values.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dimensions[i]);
        values.CopyTo(bytes, 4 + (4 * dimensions.Length));
        return bytes;
    }

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteGzip(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
        return path;
    }

    /// <summary>A complete small MNIST: <paramref name="train"/> and <paramref name="test"/> images whose pixel (0, 0) is the image index.</summary>
    public void WriteMnist(int train, int test, Func<int, byte>? label = null, int? trainLabels = null)
    {
        label ??= i => (byte)(i % 10);
        Write("train-images-idx3-ubyte", Idx([train, 28, 28], Images(train)));
        Write("train-labels-idx1-ubyte", Idx([trainLabels ?? train], Enumerable.Range(0, trainLabels ?? train).Select(label).ToArray()));
        WriteGzip("t10k-images-idx3-ubyte.gz", Idx([test, 28, 28], Images(test)));
        WriteGzip("t10k-labels-idx1-ubyte.gz", Idx([test], Enumerable.Range(0, test).Select(label).ToArray()));
    }

    private static byte[] Images(int count)
    {
        var pixels = new byte[count * 28 * 28];
        for (var i = 0; i < count; i++)
        {
            pixels[i * 784] = (byte)i;
            pixels[(i * 784) + 783] = 255;
        }
        return pixels;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
