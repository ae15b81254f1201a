using Prune;

namespace Samples.Mnist;

/// <summary>
/// A small CNN on MNIST (two convolutions, pooling, two dense layers), pruned to 80%: every weight layer's sparsity rises from 0 to 80% over the first 900
/// fine-tuning steps (tfmot's PolynomialDecay), then stays while the network recovers.
/// </summary>
[Model(1, 28, 28)]
[PolynomialDecay(initialSparsity: 0.0, finalSparsity: 0.8, beginStep: 0, endStep: 900)]
[Training(Epochs = 4, FineTuneEpochs = 2, FineTuneLearningRate = 3e-4)]
public partial class MnistCnn80
{
    [Conv2D(32, 3, activation: Activation.Relu), Prune] private readonly Layer conv1;
    [MaxPool2D(2)] private readonly Layer pool1;
    [Conv2D(64, 3, activation: Activation.Relu), Prune] private readonly Layer conv2;
    [MaxPool2D(2)] private readonly Layer pool2;
    [Flatten] private readonly Layer flatten;
    [Dense(128, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(10), Prune] private readonly Layer logits;
}
