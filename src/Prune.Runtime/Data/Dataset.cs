using static TorchSharp.torch;

namespace Prune.Data;

/// <summary>
/// Samples and their labels, held as two tensors whose first dimension is the sample index: features float32
/// [N, ...sample shape]; labels int64 [N] (class indices) or float32 [N, 1] (0/1 targets of a binary classifier).
/// The dataset owns both tensors and disposes them.
/// </summary>
public sealed class Dataset : IDisposable
{
    /// <summary>Takes ownership of <paramref name="features"/> and <paramref name="labels"/>, which must hold the same number of samples.</summary>
    public Dataset(Tensor features, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() < 1 || labels.dim() < 1 || features.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"Features [{string.Join(", ", features.shape)}] and labels [{string.Join(", ", labels.shape)}] must have the same first (sample) dimension.");
        if (features.dtype != ScalarType.Float32)
            throw new ArgumentException($"Features must be float32, not {features.dtype}.", nameof(features));
        if (labels.dtype is not (ScalarType.Int64 or ScalarType.Float32))
            throw new ArgumentException($"Labels must be int64 class indices or float32 binary targets, not {labels.dtype}.", nameof(labels));
        // Owned by the dataset, never by a caller's dispose scope.
        Features = features.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    /// <summary>The samples, float32, sample index first.</summary>
    public Tensor Features { get; }

    /// <summary>The labels: int64 [N] class indices, or float32 [N, 1] binary targets.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of samples.</summary>
    public long Count => Features.shape[0];

    /// <summary>The shape of one sample, without the sample dimension.</summary>
    public long[] SampleShape => Features.shape[1..];

    /// <summary>The first <paramref name="count"/> samples, as a new dataset with its own copy.</summary>
    public Dataset Take(long count)
    {
        if (count < 0 || count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Take needs 0 to {Count} samples.");
        using var features = Features.narrow(0, 0, count);
        using var labels = Labels.narrow(0, 0, count);
        return new Dataset(features.clone(), labels.clone());
    }

    /// <summary><paramref name="count"/> samples drawn without replacement, the same ones for the same <paramref name="seed"/>.</summary>
    public Dataset Sample(long count, int seed)
    {
        if (count < 0 || count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Sample needs 0 to {Count} samples.");
        var order = Shuffle.Permutation(Count, new Random(seed));
        using var indices = tensor(order.AsSpan(0, (int)count).ToArray());
        return Select(indices);
    }

    /// <summary>The samples at <paramref name="indices"/> (int64), in that order, as a new dataset.</summary>
    public Dataset Select(Tensor indices) => new(Features.index_select(0, indices), Labels.index_select(0, indices));

    /// <inheritdoc/>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
