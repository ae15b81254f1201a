using Prune.Data;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Data;

public class DatasetTests
{
    private static Dataset Numbered(int count) =>
        new(arange(count, dtype: ScalarType.Float32).reshape(count, 1), arange(count, dtype: ScalarType.Int64));

    [Fact]
    public void Take_copies_the_first_samples()
    {
        using var data = Numbered(10);
        using var first = data.Take(3);
        Assert.Equal(3, first.Count);
        Assert.Equal([0L, 1, 2], first.Labels.data<long>().ToArray());
        Assert.Equal([1L], first.SampleShape);
    }

    [Fact]
    public void Sample_draws_distinct_samples_fixed_by_the_seed()
    {
        using var data = Numbered(100);
        using var a = data.Sample(20, seed: 5);
        using var b = data.Sample(20, seed: 5);
        using var c = data.Sample(20, seed: 6);
        var labels = a.Labels.data<long>().ToArray();
        Assert.Equal(labels, b.Labels.data<long>().ToArray());
        Assert.NotEqual(labels, c.Labels.data<long>().ToArray());
        Assert.Equal(20, labels.Distinct().Count());
        Assert.Equal(labels.Select(l => (float)l), a.Features.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Mismatched_or_mistyped_tensors_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Dataset(zeros(3, 2), zeros(4, ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => new Dataset(zeros(3, 2, ScalarType.Float64), zeros(3, ScalarType.Int64)));
        using var data = Numbered(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Take(4));
    }
}
