using Prune.Export.Graph;

namespace Prune.Export;

/// <summary>A way of storing a weight tensor that LiteRT runs.</summary>
internal enum WeightLayout
{
    /// <summary>Every element stored.</summary>
    Dense,
    /// <summary>Nonzero values and their columns; float FULLY_CONNECTED reads it directly (op version 8).</summary>
    Csr,
    /// <summary>Nonzero values and their columns, expanded by a DENSIFY op before the layer (convolutions).</summary>
    CsrDensified,
    /// <summary>1×4 blocks holding a nonzero; float FULLY_CONNECTED reads it directly (its 1x4 block-sparse kernel).</summary>
    Blocks1x4,
    /// <summary>1×16 blocks holding a nonzero; int8 FULLY_CONNECTED reads it directly (its only sparse kernel).</summary>
    Blocks1x16,
}

/// <summary>A weight as it goes into the file.</summary>
/// <param name="Layout">How it is stored.</param>
/// <param name="Data">The stored bytes: all elements, or the sparse values.</param>
/// <param name="Sparsity">The sparse encoding; null when dense.</param>
/// <param name="Columns">The weight's last dimension as stored: a block layout pads it to a multiple of the block
/// width with zero columns, and the layer's input is then padded with zeros to match.</param>
internal sealed record StoredWeight(WeightLayout Layout, byte[] Data, SparseEncoding? Sparsity, int Columns)
{
    /// <summary>Whether the op reads the weight through a DENSIFY op.</summary>
    public bool Densified => Layout == WeightLayout.CsrDensified;
}

/// <summary>
/// The layouts LiteRT runs for a weight and the one to write: per tensor, the smallest in bytes (<see cref="WeightStorage.Auto"/>),
/// the smallest sparse one (<see cref="WeightStorage.Sparse"/>, for a weight with a zero) or dense. What LiteRT accepts
/// (measured, see docs/tflite.md "Sparse storage"): float FULLY_CONNECTED reads CSR and 1×4 blocks; int8 FULLY_CONNECTED
/// reads only 1×16 blocks (CSR is refused, and DENSIFY before it breaks the XNNPack delegate); convolutions read any
/// layout only through DENSIFY, whose CSR is what Prune writes for them.
/// </summary>
internal static class WeightLayouts
{
    // A DENSIFY op and its extra tensor cost about this many bytes of flatbuffer tables.
    private const int DensifyOverheadBytes = 160;

    // A PAD op before a FULLY_CONNECTED whose inputs do not divide into blocks: its paddings constant and output tensor.
    private const int PadOverheadBytes = 200;

    /// <summary>The weight's stored form. <paramref name="dense"/> holds its elements (little-endian float32 or int8) in <paramref name="shape"/>.</summary>
    public static StoredWeight Choose(byte[] dense, int[] shape, bool int8, bool fullyConnected, WeightStorage storage)
    {
        var columns = shape[^1];
        var denseWeight = new StoredWeight(WeightLayout.Dense, dense, null, columns);
        if (storage == WeightStorage.Dense) return denseWeight;

        var candidates = Candidates(dense, shape, int8, fullyConnected);
        var hasZeros = HasZero(dense, int8);
        var eligible = storage == WeightStorage.Sparse && hasZeros ? candidates : candidates.Where(c => c.Bytes < dense.Length);
        // The smallest; on a tie the earlier candidate (CSR before blocks).
        return eligible.OrderBy(c => c.Bytes).Select(c => c.Weight).FirstOrDefault() ?? denseWeight;
    }

    /// <summary>Every sparse layout LiteRT runs for this weight, with the bytes it adds to the file.</summary>
    private static IEnumerable<(StoredWeight Weight, int Bytes)> Candidates(byte[] dense, int[] shape, bool int8, bool fullyConnected)
    {
        if (!(fullyConnected && int8))
        {
            var layout = fullyConnected ? WeightLayout.Csr : WeightLayout.CsrDensified;
            var (values, encoding) = int8 ? Encode(Int8(dense), e => SparseEncoder.Encode(e, shape), v => TfLiteWriter.ToBytes(v))
                : Encode(Floats(dense), e => SparseEncoder.Encode(e, shape), v => TfLiteWriter.ToBytes(v));
            var overhead = layout == WeightLayout.CsrDensified ? DensifyOverheadBytes : 0;
            yield return (new StoredWeight(layout, values, encoding, shape[^1]), values.Length + TfLiteWriter.IndexBytes(encoding) + overhead);
        }
        if (fullyConnected)
        {
            var (layout, width) = int8 ? (WeightLayout.Blocks1x16, 16) : (WeightLayout.Blocks1x4, 4);
            var (rows, columns) = (shape[0], shape[1]);
            var padded = (columns + width - 1) / width * width;
            var (values, encoding) = int8
                ? Encode(Pad(Int8(dense), rows, columns, padded), e => SparseEncoder.EncodeBlocks(e, rows, padded, width), v => TfLiteWriter.ToBytes(v))
                : Encode(Pad(Floats(dense), rows, columns, padded), e => SparseEncoder.EncodeBlocks(e, rows, padded, width), v => TfLiteWriter.ToBytes(v));
            var overhead = padded > columns ? PadOverheadBytes : 0;
            yield return (new StoredWeight(layout, values, encoding, padded), values.Length + TfLiteWriter.IndexBytes(encoding) + overhead);
        }
    }

    private static (byte[] Values, SparseEncoding Encoding) Encode<T>(T[] dense, Func<T[], (T[] Values, SparseEncoding Encoding)> encode, Func<T[], byte[]> toBytes)
    {
        var (values, encoding) = encode(dense);
        return (toBytes(values), encoding);
    }

    /// <summary>A [rows, columns] matrix widened to <paramref name="padded"/> columns with zeros.</summary>
    private static T[] Pad<T>(T[] values, int rows, int columns, int padded)
    {
        if (padded == columns) return values;
        var result = new T[rows * padded];
        for (var r = 0; r < rows; r++) Array.Copy(values, r * columns, result, r * padded, columns);
        return result;
    }

    private static bool HasZero(byte[] dense, bool int8) => int8 ? Array.IndexOf(dense, (byte)0) >= 0 : Floats(dense).Contains(0f);

    private static sbyte[] Int8(byte[] bytes) => bytes.Select(b => (sbyte)b).ToArray();

    private static float[] Floats(byte[] bytes)
    {
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
