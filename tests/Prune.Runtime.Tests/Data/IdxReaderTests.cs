using Prune.Data;

namespace Prune.Runtime.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly IdxFixtures _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_good_file_gives_its_dimensions_and_values()
    {
        var path = _files.Write("good", IdxFixtures.Idx([2, 3], [1, 2, 3, 4, 5, 6]));
        var idx = IdxReader.ReadFile(path);
        Assert.Equal([2, 3], idx.Dimensions);
        Assert.Equal([1, 2, 3, 4, 5, 6], idx.Values);
    }

    [Fact]
    public void A_gzipped_file_is_read_the_same()
    {
        var path = _files.WriteGzip("good.gz", IdxFixtures.Idx([3], [7, 8, 9]));
        Assert.Equal([7, 8, 9], IdxReader.ReadFile(path).Values);
    }

    [Fact]
    public void Truncated_values_are_reported_with_the_file_and_the_counts()
    {
        var bytes = IdxFixtures.Idx([2, 3], [1, 2, 3, 4, 5, 6]);
        var path = _files.Write("short", bytes[..^2]);
        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(path));
        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("declares 6 values but the file holds 4", error.Message);
    }

    [Fact]
    public void A_truncated_header_is_reported()
    {
        var path = _files.Write("header", IdxFixtures.Idx([2, 3], [1, 2, 3, 4, 5, 6])[..9]);
        Assert.Contains("ends before their sizes", Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(path)).Message);
        var tiny = _files.Write("tiny", [0, 0]);
        Assert.Contains("shorter than the 4-byte IDX magic", Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(tiny)).Message);
    }

    [Fact]
    public void A_wrong_magic_number_is_reported()
    {
        var bytes = IdxFixtures.Idx([1], [1]);
        bytes[0] = 0x1f;
        var path = _files.Write("magic", bytes);
        Assert.Contains("not an IDX file", Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(path)).Message);
        bytes[0] = 0;
        bytes[2] = 0x0D; // float values
        path = _files.Write("float", bytes);
        Assert.Contains("0x0D is not supported", Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(path)).Message);
    }

    [Fact]
    public void Bytes_after_the_declared_values_are_reported()
    {
        var path = _files.Write("long", [.. IdxFixtures.Idx([2], [1, 2]), 3]);
        Assert.Contains("bytes follow the 2 values", Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(path)).Message);
    }

    [Fact]
    public void Corrupt_compression_and_absurd_sizes_are_reported()
    {
        var gzip = _files.WriteGzip("bad.gz", IdxFixtures.Idx([4], [1, 2, 3, 4]));
        var bytes = File.ReadAllBytes(gzip);
        bytes[^5] ^= 0xFF; // damage the trailer's length
        File.WriteAllBytes(gzip, bytes);
        Assert.Contains(gzip, Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(gzip)).Message);

        var huge = _files.Write("huge", IdxFixtures.Idx([int.MaxValue, int.MaxValue], []));
        Assert.Contains("header is corrupt", Assert.Throws<DataFormatException>(() => IdxReader.ReadFile(huge)).Message);
    }
}
