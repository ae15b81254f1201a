namespace Prune.Specs;

/// <summary>
/// How a model's outputs are read, the one reading that training's loss, the reported accuracy, the check of every
/// exported file and the .onnx file's output share: one value per class (a single one for a binary classifier);
/// probabilities when the last layer's activation makes them so (a sigmoid on one output, a softmax on several),
/// logits otherwise, which the sigmoid or the softmax turns into probabilities.
/// </summary>
internal sealed class OutputReading
{
    public OutputReading(ModelSpec spec)
    {
        Values = spec.OutputShape.ElementCount;
        IsBinary = Values == 1;
        AreProbabilities = spec.Layers[^1].Activation == (IsBinary ? Activation.Sigmoid : Activation.Softmax);
    }

    /// <summary>Values per sample: the classes, or 1 for a binary classifier.</summary>
    public long Values { get; }

    /// <summary>Whether the single output is the probability of class 1.</summary>
    public bool IsBinary { get; }

    /// <summary>Whether the outputs already are probabilities; otherwise they are logits.</summary>
    public bool AreProbabilities { get; }

    /// <summary>The probabilities <paramref name="output"/> (one sample's values) stands for.</summary>
    public double[] Probabilities(IReadOnlyList<float> output)
    {
        if (AreProbabilities) return output.Select(v => (double)v).ToArray();
        if (IsBinary) return [1 / (1 + Math.Exp(-output[0]))];
        var max = output.Max();
        var exp = output.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    /// <summary>The predicted class: the most probable one, or 1 when a single probability exceeds one half.</summary>
    public int Class(double[] probabilities) => IsBinary
        ? (probabilities[0] > 0.5 ? 1 : 0)
        : Array.IndexOf(probabilities, probabilities.Max());
}
