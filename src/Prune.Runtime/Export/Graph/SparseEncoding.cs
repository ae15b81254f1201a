namespace Prune.Export.Graph;

/// <summary>
/// TFLite's SparsityParameters for a tensor stored with all dimensions dense except the last, which is compressed
/// (CSR). Without blocks (<see cref="BlockWidth"/> 1), <see cref="Segments"/> has one entry per row of the leading
/// dimensions plus one, and <see cref="Indices"/> holds the last-dimension index of every stored value; traversal order
/// is the identity. With 1×<see cref="BlockWidth"/> blocks (a 2-D weight only), the last dimension is cut into blocks
/// of that width: <see cref="Indices"/> holds the block column of every stored block, whose values are all stored; the
/// block is a third, dense dimension (traversal order [0, 1, 2], block map [1]), as LiteRT's block-sparse
/// FULLY_CONNECTED kernels read it.
/// </summary>
internal sealed record SparseEncoding(int[] Shape, int[] Segments, int[] Indices, int BlockWidth = 1);
