using System.Buffers.Binary;
using System.IO.Compression;

namespace Prune.Data;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions and its values in row-major order.</summary>
/// <param name="Dimensions">The sizes, outermost (the item count) first.</param>
/// <param name="Values">Every value, row-major.</param>
internal sealed record IdxData(int[] Dimensions, byte[] Values);

/// <summary>
/// Reads IDX files, the format MNIST is published in: the magic number 0x00 0x00 0x08 (unsigned bytes) and a
/// dimension count, one big-endian int32 per dimension, then the values. Every inconsistency (bad magic,
/// truncation, trailing bytes) raises a <see cref="DataFormatException"/> naming the file.
/// </summary>
internal static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads <paramref name="path"/>; a name ending in <c>.gz</c> is decompressed first.</summary>
    public static IdxData ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: IDX file not found.", path);
        using var file = File.OpenRead(path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return Read(file, path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return Read(gzip, path);
    }

    /// <summary>Reads one IDX file from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static IdxData Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return ReadChecked(stream, source);
        }
        catch (InvalidDataException e)
        {
            // A damaged gzip layer surfaces here.
            throw new DataFormatException(source, $"the compressed data is corrupt ({e.Message}).", e);
        }
    }

    private static IdxData ReadChecked(Stream stream, string source)
    {
        Span<byte> magic = stackalloc byte[4];
        if (ReadFully(stream, magic) < 4)
            throw new DataFormatException(source, "truncated: the file is shorter than the 4-byte IDX magic number.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataFormatException(source, $"not an IDX file: the magic number starts 0x{magic[0]:X2} 0x{magic[1]:X2}, not 0x00 0x00.");
        if (magic[2] != UnsignedByteType)
            throw new DataFormatException(source, $"IDX value type 0x{magic[2]:X2} is not supported; only unsigned bytes (0x08) are.");
        var rank = magic[3];
        if (rank == 0) throw new DataFormatException(source, "the IDX header declares 0 dimensions.");

        var header = new byte[4 * rank];
        if (ReadFully(stream, header) < header.Length)
            throw new DataFormatException(source, $"truncated: the header declares {rank} dimensions but the file ends before their sizes.");
        var dimensions = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * i));
            if (dimensions[i] <= 0)
                throw new DataFormatException(source, $"dimension {i} has size {dimensions[i]}; sizes must be positive.");
            count *= dimensions[i];
            if (count > Array.MaxLength)
                throw new DataFormatException(source, $"the dimensions [{string.Join(", ", dimensions[..(i + 1)])}] declare more values than fit in memory: the header is corrupt.");
        }

        var values = new byte[count];
        var read = ReadFully(stream, values);
        if (read < count)
            throw new DataFormatException(source,
                $"truncated: the header [{string.Join(", ", dimensions)}] declares {count} values but the file holds {read}.");
        if (stream.ReadByte() >= 0)
            throw new DataFormatException(source,
                $"corrupt: bytes follow the {count} values that the header [{string.Join(", ", dimensions)}] declares.");
        return new IdxData(dimensions, values);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
