namespace Prune.Pretrained;

/// <summary>
/// One tensor read from a pretrained file, bound for a parameter or buffer of one layer (<c>weight</c>, <c>bias</c>,
/// <c>running_mean</c>, <c>running_var</c>, the names TorchSharp registers them under), in the layer's layout.
/// </summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Name">The parameter or buffer.</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="Values">Its values, row-major.</param>
/// <param name="Origin">Where it comes from in the file, for messages: an ONNX initializer and its node, a checkpoint key.</param>
internal sealed record LoadedTensor(string Layer, string Name, long[] Shape, float[] Values, string Origin)
{
    /// <summary>A shape as messages write it.</summary>
    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
