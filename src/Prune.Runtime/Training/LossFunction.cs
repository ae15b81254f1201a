using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Training;

/// <summary>
/// The loss the model's outputs call for, read as every stage reads them (<see cref="OutputReading"/>): binary
/// cross-entropy for one output (on its probability, or on its logit), NLL of the log-probabilities when the outputs
/// are probabilities, cross-entropy on logits otherwise. Outputs of shape [N, classes, 1, 1] are taken as [N, classes].
/// </summary>
internal sealed class LossFunction
{
    private const double ProbabilityFloor = 1e-7;

    private readonly OutputReading _reading;

    private LossFunction(OutputReading reading)
    {
        _reading = reading;
        GuessingLoss = Math.Log(reading.IsBinary ? 2 : reading.Values);
    }

    public bool IsBinary => _reading.IsBinary;

    /// <summary>The loss of a model that gives every class the same probability: ln 2 for one output, ln of the outputs otherwise.</summary>
    public double GuessingLoss { get; }

    public static LossFunction For(ModelSpec spec) => new(spec.Output);

    /// <summary>Checks that <paramref name="labels"/> suit this loss: float [N, 1] for binary, int64 [N] otherwise.</summary>
    public void CheckLabels(Tensor labels, string what)
    {
        if (IsBinary && (labels.dtype != ScalarType.Float32 || labels.dim() != 2 || labels.shape[1] != 1))
            throw new ArgumentException($"{what}: a model with one output unit needs float32 [N, 1] 0/1 labels, not {labels.dtype} [{string.Join(", ", labels.shape)}].");
        if (!IsBinary && (labels.dtype != ScalarType.Int64 || labels.dim() != 1))
            throw new ArgumentException($"{what}: a classifier with several outputs needs int64 [N] class labels, not {labels.dtype} [{string.Join(", ", labels.shape)}].");
    }

    /// <summary>Mean loss of the batch.</summary>
    public Tensor Loss(Tensor output, Tensor labels)
    {
        var values = PerSample(output);
        return (_reading.IsBinary, _reading.AreProbabilities) switch
        {
            (true, true) => nn.functional.binary_cross_entropy(values.clamp(ProbabilityFloor, 1 - ProbabilityFloor), labels),
            (true, false) => nn.functional.binary_cross_entropy_with_logits(values, labels),
            (false, true) => nn.functional.nll_loss(values.clamp_min(ProbabilityFloor).log(), labels),
            (false, false) => nn.functional.cross_entropy(values, labels),
        };
    }

    /// <summary>The number of correctly classified samples in the batch.</summary>
    public long Correct(Tensor output, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var values = PerSample(output);
        var hits = _reading.IsBinary
            ? values.gt(_reading.AreProbabilities ? 0.5 : 0).eq(labels.gt(0.5))
            : values.argmax(1).eq(labels);
        return hits.sum().item<long>();
    }

    /// <summary>[N, classes]: a convolution's [N, classes, 1, 1] output flattened, as every other stage reads it.</summary>
    private static Tensor PerSample(Tensor output) => output.dim() == 2 ? output : output.flatten(1);
}
