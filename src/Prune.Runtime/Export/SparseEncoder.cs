using Prune.Export.Graph;

namespace Prune.Export;

/// <summary>Compresses a row-major tensor's last dimension: single values (CSR) or 1×w blocks, with their <see cref="SparseEncoding"/>.</summary>
internal static class SparseEncoder
{
    /// <summary>CSR over the last dimension: every nonzero value and its column.</summary>
    public static (T[] Values, SparseEncoding Encoding) Encode<T>(T[] dense, int[] shape) where T : struct, IEquatable<T>
    {
        var (values, segments, indices) = Compress(dense, dense.Length / shape[^1], shape[^1], 1);
        return (values, new SparseEncoding(shape, segments, indices));
    }

    /// <summary>
    /// 1×<paramref name="width"/> blocks over the columns of a [rows, columns] matrix: every block holding a nonzero
    /// value is stored whole (its zeros too), with its block column. <paramref name="width"/> divides the columns.
    /// </summary>
    public static (T[] Values, SparseEncoding Encoding) EncodeBlocks<T>(T[] dense, int rows, int columns, int width) where T : struct, IEquatable<T>
    {
        if (columns % width != 0) throw new ArgumentException($"block width {width} does not divide {columns} columns", nameof(width));
        var (values, segments, indices) = Compress(dense, rows, columns, width);
        return (values, new SparseEncoding([rows, columns], segments, indices, width));
    }

    private static (T[] Values, int[] Segments, int[] Indices) Compress<T>(T[] dense, int rows, int columns, int width) where T : struct, IEquatable<T>
    {
        var values = new List<T>();
        var indices = new List<int>();
        var segments = new int[rows + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var b = 0; b < columns / width; b++)
            {
                var block = dense.AsSpan(r * columns + b * width, width);
                if (!HasNonzero(block)) continue;
                values.AddRange(block);
                indices.Add(b);
            }
            segments[r + 1] = indices.Count;
        }
        return (values.ToArray(), segments, indices.ToArray());
    }

    private static bool HasNonzero<T>(ReadOnlySpan<T> values) where T : struct, IEquatable<T>
    {
        foreach (var v in values) if (!v.Equals(default)) return true;
        return false;
    }
}
