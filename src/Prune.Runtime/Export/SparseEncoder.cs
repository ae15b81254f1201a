using Prune.Export.Graph;

namespace Prune.Export;

/// <summary>Compresses a row-major tensor's last dimension (CSR): the stored values and their <see cref="SparseEncoding"/>.</summary>
internal static class SparseEncoder
{
    public static (T[] Values, SparseEncoding Encoding) Encode<T>(T[] dense, int[] shape) where T : struct, IEquatable<T>
    {
        var last = shape[^1];
        var rows = dense.Length / last;
        var values = new List<T>();
        var indices = new List<int>();
        var segments = new int[rows + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < last; c++)
            {
                var v = dense[r * last + c];
                if (v.Equals(default)) continue;
                values.Add(v);
                indices.Add(c);
            }
            segments[r + 1] = values.Count;
        }
        return (values.ToArray(), new SparseEncoding(shape, segments, indices.ToArray()));
    }
}
