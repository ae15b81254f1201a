using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Training;

/// <summary>
/// The loss a model's last layer implies: binary cross-entropy for one output unit (on probabilities after a
/// sigmoid, on logits otherwise); NLL of the log-probabilities after a softmax; cross-entropy on logits otherwise.
/// </summary>
internal sealed class LossFunction
{
    private const double ProbabilityFloor = 1e-7;

    private enum Kind { BinaryProbability, BinaryLogit, SoftmaxProbability, Logits }

    private readonly Kind _kind;

    private LossFunction(Kind kind, long outputs)
    {
        _kind = kind;
        GuessingLoss = Math.Log(IsBinary ? 2 : outputs);
    }

    public bool IsBinary => _kind is Kind.BinaryProbability or Kind.BinaryLogit;

    /// <summary>The loss of a model that gives every class the same probability: ln 2 for one output, ln of the outputs otherwise.</summary>
    public double GuessingLoss { get; }

    public static LossFunction For(ModelSpec spec)
    {
        var activation = spec.Layers.LastOrDefault() switch
        {
            DenseSpec d => d.Activation,
            Conv2DSpec c => c.Activation,
            DepthwiseConv2DSpec c => c.Activation,
            _ => Activation.None,
        };
        var outputs = spec.OutputShape.ElementCount;
        return new LossFunction(outputs == 1
            ? activation == Activation.Sigmoid ? Kind.BinaryProbability : Kind.BinaryLogit
            : activation == Activation.Softmax ? Kind.SoftmaxProbability : Kind.Logits, outputs);
    }

    /// <summary>Checks that <paramref name="labels"/> suit this loss: float [N, 1] for binary, int64 [N] otherwise.</summary>
    public void CheckLabels(Tensor labels, string what)
    {
        if (IsBinary && (labels.dtype != ScalarType.Float32 || labels.dim() != 2 || labels.shape[1] != 1))
            throw new ArgumentException($"{what}: a model with one output unit needs float32 [N, 1] 0/1 labels, not {labels.dtype} [{string.Join(", ", labels.shape)}].");
        if (!IsBinary && (labels.dtype != ScalarType.Int64 || labels.dim() != 1))
            throw new ArgumentException($"{what}: a classifier with several outputs needs int64 [N] class labels, not {labels.dtype} [{string.Join(", ", labels.shape)}].");
    }

    /// <summary>Mean loss of the batch.</summary>
    public Tensor Loss(Tensor output, Tensor labels) => _kind switch
    {
        Kind.BinaryProbability => nn.functional.binary_cross_entropy(output.clamp(ProbabilityFloor, 1 - ProbabilityFloor), labels),
        Kind.BinaryLogit => nn.functional.binary_cross_entropy_with_logits(output, labels),
        Kind.SoftmaxProbability => nn.functional.nll_loss(output.clamp_min(ProbabilityFloor).log(), labels),
        _ => nn.functional.cross_entropy(output, labels),
    };

    /// <summary>The number of correctly classified samples in the batch.</summary>
    public long Correct(Tensor output, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var hits = _kind switch
        {
            Kind.BinaryProbability => output.gt(0.5).eq(labels.gt(0.5)),
            Kind.BinaryLogit => output.gt(0).eq(labels.gt(0.5)),
            _ => output.argmax(1).eq(labels),
        };
        return hits.sum().item<long>();
    }
}
