using Google.FlatBuffers;

namespace Prune.Export.Graph;

/// <summary>Vectors for <see cref="FlatBufferBuilder"/>, which builds back to front: elements go in last first.</summary>
internal static class FlatBufferVectors
{
    public static int Ints(FlatBufferBuilder b, IReadOnlyList<int> values)
    {
        b.StartVector(sizeof(int), values.Count, sizeof(int));
        for (var i = values.Count - 1; i >= 0; i--) b.AddInt(values[i]);
        return b.EndVector().Value;
    }

    public static int Floats(FlatBufferBuilder b, IReadOnlyList<float> values)
    {
        b.StartVector(sizeof(float), values.Count, sizeof(float));
        for (var i = values.Count - 1; i >= 0; i--) b.AddFloat(values[i]);
        return b.EndVector().Value;
    }

    public static int Longs(FlatBufferBuilder b, IReadOnlyList<long> values)
    {
        b.StartVector(sizeof(long), values.Count, sizeof(long));
        for (var i = values.Count - 1; i >= 0; i--) b.AddLong(values[i]);
        return b.EndVector().Value;
    }

    public static int UShorts(FlatBufferBuilder b, IReadOnlyList<int> values)
    {
        // Uint16Vector.values is declared force_align: 4.
        b.StartVector(sizeof(ushort), values.Count, 4);
        for (var i = values.Count - 1; i >= 0; i--) b.AddUshort((ushort)values[i]);
        return b.EndVector().Value;
    }

    /// <summary>Raw bytes with the given alignment (buffers: 16, as the schema's force_align asks).</summary>
    public static int Bytes(FlatBufferBuilder b, ReadOnlySpan<byte> data, int alignment)
    {
        b.StartVector(1, data.Length, alignment);
        for (var i = data.Length - 1; i >= 0; i--) b.AddByte(data[i]);
        return b.EndVector().Value;
    }

    public static int Offsets(FlatBufferBuilder b, IReadOnlyList<int> offsets)
    {
        b.StartVector(sizeof(int), offsets.Count, sizeof(int));
        for (var i = offsets.Count - 1; i >= 0; i--) b.AddOffset(offsets[i]);
        return b.EndVector().Value;
    }
}
