namespace Prune.Export.Graph;

/// <summary>
/// TFLite's SparsityParameters for a tensor stored with all dimensions dense except the last, which is
/// compressed (CSR): <see cref="Segments"/> has one entry per row of the leading dimensions plus one, and
/// <see cref="Indices"/> holds the last-dimension index of every stored value. Traversal order is the
/// identity; there are no blocks.
/// </summary>
internal sealed record SparseEncoding(int[] Shape, int[] Segments, int[] Indices);
