using System.Buffers.Binary;
using System.Text;

namespace Prune.Export.Reading;

/// <summary>
/// Reads flatbuffer tables straight from the bytes (little-endian): a table starts with a signed offset back to its
/// vtable, and the vtable lists, per field slot, the field's offset inside the table (0 when absent).
/// </summary>
internal readonly struct FlatBufferView(byte[] bytes, int position)
{
    public static FlatBufferView Root(byte[] bytes)
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{bytes.Length} bytes are too few for a flatbuffer.");
        return new FlatBufferView(bytes, (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes));
    }

    public bool Has(int slot) => FieldOffset(slot) != 0;

    public int Int(int slot, int fallback = 0) => FieldOffset(slot) is var o and not 0 ? BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position + o)) : fallback;

    public uint UInt(int slot, uint fallback = 0) => FieldOffset(slot) is var o and not 0 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + o)) : fallback;

    public sbyte SByte(int slot, sbyte fallback = 0) => FieldOffset(slot) is var o and not 0 ? (sbyte)bytes[position + o] : fallback;

    public byte Byte(int slot, byte fallback = 0) => FieldOffset(slot) is var o and not 0 ? bytes[position + o] : fallback;

    public FlatBufferView? Table(int slot) => Target(slot) is { } t ? new FlatBufferView(bytes, t) : null;

    public string? String(int slot)
    {
        if (Target(slot) is not { } t) return null;
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(t));
        return Encoding.UTF8.GetString(bytes, t + 4, length);
    }

    /// <summary>A vector's element count and the position of its first element.</summary>
    /// <param name="slot">The field.</param>
    /// <param name="elementSize">Bytes per element: a vector that would run past the end of the file is refused before
    /// anything is allocated for it (a corrupt length could ask for billions of elements).</param>
    public (int Count, int Start) Vector(int slot, int elementSize = 1)
    {
        if (Target(slot) is not { } t) return (0, 0);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(t));
        if (t + 4 + ((long)count * elementSize) > bytes.Length)
            throw new InvalidDataException($"a vector of {count:N0} elements at byte {t:N0} runs past the end of the file ({bytes.Length:N0} bytes)");
        return ((int)count, t + 4);
    }

    public int[] Ints(int slot)
    {
        var (count, start) = Vector(slot, 4);
        var data = bytes;
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(start + 4 * i))).ToArray();
    }

    public float[] Floats(int slot)
    {
        var (count, start) = Vector(slot, 4);
        var data = bytes;
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(start + 4 * i))).ToArray();
    }

    public long[] Longs(int slot)
    {
        var (count, start) = Vector(slot, 8);
        var data = bytes;
        return Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(start + 8 * i))).ToArray();
    }

    public int[] UShorts(int slot)
    {
        var (count, start) = Vector(slot, 2);
        var data = bytes;
        return Enumerable.Range(0, count).Select(i => (int)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(start + 2 * i))).ToArray();
    }

    public ReadOnlyMemory<byte> Bytes(int slot)
    {
        var (count, start) = Vector(slot);
        return bytes.AsMemory(start, count);
    }

    public FlatBufferView[] Tables(int slot)
    {
        var (count, start) = Vector(slot, 4);
        var data = bytes;
        return Enumerable.Range(0, count).Select(i =>
        {
            var element = start + 4 * i;
            return new FlatBufferView(data, element + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(element)));
        }).ToArray();
    }

    private int? Target(int slot)
    {
        var o = FieldOffset(slot);
        if (o == 0) return null;
        var at = position + o;
        return at + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
    }

    private int FieldOffset(int slot)
    {
        var vtable = position - BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
        var vtableLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable));
        var entry = 4 + 2 * slot;
        return entry < vtableLength ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(vtable + entry)) : 0;
    }
}
