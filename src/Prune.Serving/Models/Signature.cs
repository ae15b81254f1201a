namespace Prune.Serving.Models;

/// <summary>A model's one input or output as TensorFlow Serving's metadata describes it: a name and a float shape whose
/// first dimension is the batch (-1: any size).</summary>
public sealed record TensorSignature(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>The shape of one sample: the shape without its batch dimension.</summary>
    public IReadOnlyList<long> SampleShape => Shape.Skip(1).ToArray();

    /// <summary>Values in one sample.</summary>
    public int SampleSize => (int)SampleShape.Aggregate(1L, (product, d) => product * d);

    /// <summary>As written in messages: <c>[-1, 1, 28, 28]</c>.</summary>
    public override string ToString() => $"[{string.Join(", ", Shape)}]";
}

/// <summary>The signature every served model has (TensorFlow Serving's <c>serving_default</c>): one input, one output.</summary>
public sealed record ModelSignature(TensorSignature Input, TensorSignature Output)
{
    /// <summary>The only signature name a request may give (or leave out).</summary>
    public const string DefaultName = "serving_default";
}
