namespace Prune.Runtime.Tests.Generated;

// Models declared only with attributes: the generator writes their modules. Field names are the layer names.
#pragma warning disable IDE1006 // Layer fields are named like layers (conv1), not like private fields (_conv1).

/// <summary>The seed's CNN, exactly as a user writes it.</summary>
[Model(1, 28, 28)]
[PolynomialDecay(0.0, 0.8, beginStep: 0, endStep: 1800)]
[Training(Epochs = 3, FineTuneEpochs = 2, BatchSize = 64)]
public partial class SeedCnn
{
    [Conv2D(32, 3, activation: Activation.Relu), Prune] Layer conv1;
    [MaxPool2D(2)] Layer pool1;
    [Conv2D(64, 3, activation: Activation.Relu), Prune] Layer conv2;
    [MaxPool2D(2)] Layer pool2;
    [Flatten] Layer flatten;
    [Dense(128, activation: Activation.Relu), Prune] Layer fc1;
    [Dense(10), Prune(0.5)] Layer logits;
}

/// <summary>Every layer kind and both paddings, with odd sizes so SAME and VALID differ.</summary>
[Model(3, 15, 13)]
[ConstantSparsity(0.5)]
public partial class EveryLayerModel
{
    [Conv2D(6, 3, stride: 2, padding: Padding.Same), Prune] Layer conv;
    [BatchNorm(activation: Activation.Relu6)] Layer norm;
    [DepthwiseConv2D(3, depthMultiplier: 2, padding: Padding.Same, activation: Activation.Tanh, useBias: false), Prune] Layer depthwise;
    [MaxPool2D(3, stride: 2, padding: Padding.Same)] Layer maxPool;
    [AveragePool2D(2, stride: 1)] Layer averagePool;
    [Dropout(0.25)] Layer dropout;
    [Conv2D(8, 1), Prune, BlockSparsity(2, 4)] Layer pointwise;
    [GlobalAveragePool2D] Layer pool;
    [Dense(8)] Layer features;
    [BatchNorm(momentum: 0.9, activation: Activation.Relu)] Layer featureNorm;
    [Dense(12, activation: Activation.Sigmoid), Prune, MByNSparsity(2, 4)] Layer hidden;
    [Dense(5, activation: Activation.Softmax)] Layer output;
}

/// <summary>The tabular model: 30 features to one probability, its hidden layers pretrained.</summary>
[Model(30)]
[Pretrained("weights/tabular.pt", IncludeTop = false, FreezeEpochs = 2)]
public partial class TabularModel
{
    [Dense(16, activation: Activation.Relu), Prune(0.5)] Layer hidden1;
    [Dense(8, activation: Activation.Relu)] Layer hidden2;
    [Flatten] Layer flatten;
    [Dense(1, activation: Activation.Sigmoid)] Layer output;
}

/// <summary>Branches declared with Input and Add, then both blocks: a projected shortcut, identity ones, an expansion.</summary>
[Model(3, 16, 16)]
[ConstantSparsity(0.5)]
[Normalize(mean: new[] { 103.06, 115.9, 123.15 }, std: new[] { 1.0 })]
public partial class ResidualModel
{
    [Conv2D(8, 3, padding: Padding.Same, useBias: false)] Layer stem;
    [BatchNorm(activation: Activation.Relu)] Layer stemNorm;
    [Conv2D(8, 3, padding: Padding.Same, activation: Activation.Relu)] Layer branch;
    [Conv2D(8, 1, Input = nameof(stemNorm))] Layer side;
    [Add(nameof(branch), activation: Activation.Relu)] Layer join;
    [BasicBlock(16, stride: 2), Prune] Layer block;
    [InvertedResidual(6, 16, repeat: 2)] Layer inverted;
    [GlobalAveragePool2D(Input = nameof(inverted))] Layer pool;
    [Dense(4)] Layer output;
}
