using Prune;

namespace Samples.LayerSpecific;

/// <summary>
/// The MnistCnn sample's CNN with only two layers pruned (tfmot's layer-specific pruning): the first convolution keeps a
/// constant 50% target, the first dense layer (which holds most of the weights) follows the model's schedule to 80%.
/// The other layers are left dense.
/// </summary>
[Model(1, 28, 28)]
[PolynomialDecay(initialSparsity: 0.0, finalSparsity: 0.8, beginStep: 0, endStep: 900)]
[Training(Epochs = 4, FineTuneEpochs = 2, FineTuneLearningRate = 3e-4)]
public partial class FirstLayersPruned
{
    [Conv2D(32, 3, activation: Activation.Relu), Prune(0.5)] private readonly Layer conv1;
    [MaxPool2D(2)] private readonly Layer pool1;
    [Conv2D(64, 3, activation: Activation.Relu)] private readonly Layer conv2;
    [MaxPool2D(2)] private readonly Layer pool2;
    [Flatten] private readonly Layer flatten;
    [Dense(128, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(10)] private readonly Layer logits;
}
