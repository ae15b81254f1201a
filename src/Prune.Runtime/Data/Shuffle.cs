namespace Prune.Data;

/// <summary>Seeded permutations, so that a seed fixes the order of samples on every platform.</summary>
internal static class Shuffle
{
    /// <summary>0 … <paramref name="count"/> − 1 in an order drawn from <paramref name="random"/> (Fisher–Yates).</summary>
    public static long[] Permutation(long count, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var order = new long[count];
        for (long i = 0; i < count; i++) order[i] = i;
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.NextInt64(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
