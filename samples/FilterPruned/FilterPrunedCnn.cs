using Prune;

namespace Samples.FilterPruned;

/// <summary>
/// The MnistCnn sample's CNN with filter pruning: half of the channels of every hidden layer (conv1's and conv2's
/// filters, hidden's units) are removed while fine-tuning, ranked by the L1 norm of their filters; the logits stay.
/// Strip then builds the smaller dense model (16 and 32 filters, 64 units), so the exported file computes about a
/// quarter of the multiply-accumulates and runs faster in LiteRT (docs/benchmarks.md, filter pruning).
/// </summary>
[Model(1, 28, 28)]
[PolynomialDecay(initialSparsity: 0.0, finalSparsity: 0.5, beginStep: 0, endStep: 400), FilterSparsity]
[Training(Epochs = 2, FineTuneEpochs = 1, FineTuneLearningRate = 3e-4)]
public partial class FilterPrunedCnn
{
    [Conv2D(32, 3, activation: Activation.Relu), Prune] private readonly Layer conv1;
    [MaxPool2D(2)] private readonly Layer pool1;
    [Conv2D(64, 3, activation: Activation.Relu), Prune] private readonly Layer conv2;
    [MaxPool2D(2)] private readonly Layer pool2;
    [Flatten] private readonly Layer flatten;
    [Dense(128, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(10)] private readonly Layer logits;
}
