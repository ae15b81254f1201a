using System.Collections;
using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>The shape of one sample, without the batch dimension: [C, H, W] for images, [F] for features.</summary>
public sealed class TensorShape : IEquatable<TensorShape>, IReadOnlyList<int>
{
    private readonly int[] _dimensions;

    /// <summary>A shape with the given dimensions, outermost first.</summary>
    public TensorShape(params int[] dimensions) => _dimensions = (int[])dimensions.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => _dimensions.Length;

    /// <summary>The number of values in one sample.</summary>
    public long ElementCount => _dimensions.Aggregate(1L, (product, d) => product * d);

    /// <inheritdoc/>
    public int Count => _dimensions.Length;

    /// <inheritdoc/>
    public int this[int index] => _dimensions[index];

    /// <summary>The shape of a batch of <paramref name="batchSize"/> samples, as TorchSharp wants it.</summary>
    public long[] WithBatch(long batchSize) => [batchSize, .. _dimensions.Select(d => (long)d)];

    /// <inheritdoc/>
    public bool Equals(TensorShape? other) => other is not null && _dimensions.AsSpan().SequenceEqual(other._dimensions);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TensorShape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _dimensions) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>The shape as written in reports: <c>[32, 26, 26]</c>.</summary>
    public override string ToString() => Formats.Shape(_dimensions);

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dimensions).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
