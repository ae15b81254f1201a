using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>Reads a model's raw outputs as probabilities and classes, whatever its last activation.</summary>
internal sealed class ModelOutputs(ModelSpec spec)
{
    private readonly bool _logits = spec.OutputsLogits;
    private readonly bool _single = spec.OutputShape.ElementCount == 1;

    /// <summary>Softmax of logits (sigmoid for one logit); outputs that already are probabilities stay as they are.</summary>
    public double[] Probabilities(float[] output)
    {
        if (!_logits) return output.Select(v => (double)v).ToArray();
        if (_single) return [1 / (1 + Math.Exp(-output[0]))];
        var max = output.Max();
        var exp = output.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    /// <summary>The predicted class: the most probable one, or 1 when a single probability exceeds one half.</summary>
    public int Class(double[] probabilities) => _single
        ? (probabilities[0] > 0.5 ? 1 : 0)
        : Array.IndexOf(probabilities, probabilities.Max());
}
