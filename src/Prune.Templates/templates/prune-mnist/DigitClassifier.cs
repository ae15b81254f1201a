using Prune;

namespace PruneMnist;

/// <summary>
/// A small CNN for MNIST's 28x28 digits. Every layer marked [Prune] goes from 0 to 80% zeros over the first 900
/// fine-tuning steps (tfmot's PolynomialDecay), then fine-tuning lets the network recover.
/// </summary>
[Model(1, 28, 28)]
[PolynomialDecay(initialSparsity: 0.0, finalSparsity: 0.8, beginStep: 0, endStep: 900)]
[Training(Epochs = 4, FineTuneEpochs = 2, FineTuneLearningRate = 3e-4)]
public partial class DigitClassifier
{
    [Conv2D(32, 3, activation: Activation.Relu), Prune] private readonly Layer conv1;
    [MaxPool2D(2)] private readonly Layer pool1;
    [Conv2D(64, 3, activation: Activation.Relu), Prune] private readonly Layer conv2;
    [MaxPool2D(2)] private readonly Layer pool2;
    [Flatten] private readonly Layer flatten;
    [Dense(128, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(10), Prune] private readonly Layer logits;
}
