namespace Prune.Runtime.Tests.Pipeline;

// Small tabular models on the breast-cancer CSV (30 features, binary label): each pipeline run takes seconds.

[Model(30)]
[PolynomialDecay(0.0, 0.5, beginStep: 0, endStep: 20, frequency: 5)]
[Training(Epochs = 3, FineTuneEpochs = 3, BatchSize = 32, LearningRate = 0.01)]
public partial class HalfPruned
{
    [Dense(8, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
}

/// <summary>The same architecture and baseline settings as <see cref="HalfPruned"/>, pruned differently.</summary>
[Model(30)]
[PolynomialDecay(0.0, 0.75, beginStep: 0, endStep: 20, frequency: 5)]
[Training(Epochs = 3, FineTuneEpochs = 3, BatchSize = 32, LearningRate = 0.01)]
public partial class ThreeQuartersPruned
{
    [Dense(8, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
}

/// <summary>Declares 20 inputs where the CSV has 30.</summary>
[Model(20)]
public partial class TooFewInputs
{
    [Dense(1, activation: Activation.Sigmoid), Prune(0.5)] private readonly Layer output;
}

/// <summary>A learning rate no optimizer survives.</summary>
[Model(30)]
[Training(Optimizer = Optimizer.Sgd, LearningRate = 1e30, Epochs = 2)]
public partial class Exploding
{
    [Dense(8, activation: Activation.Relu), Prune(0.5)] private readonly Layer hidden;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
}

/// <summary>A learning rate far too high that keeps the loss finite (a sigmoid's loss is bounded): the model learns nothing.</summary>
[Model(30)]
[Training(Optimizer = Optimizer.Sgd, LearningRate = 1e6, Epochs = 3, FineTuneEpochs = 1)]
public partial class Overshooting
{
    [Dense(8, activation: Activation.Relu), Prune(0.5)] private readonly Layer hidden;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
}

/// <summary>The same with a logit output, whose loss is unbounded: it grows by orders of magnitude, finite all along.</summary>
[Model(30)]
[Training(Optimizer = Optimizer.Adam, LearningRate = 1e6, Epochs = 3, FineTuneEpochs = 1)]
public partial class OvershootingLogit
{
    [Dense(8, activation: Activation.Relu), Prune(0.5)] private readonly Layer hidden;
    [Dense(1)] private readonly Layer output;
}

/// <summary>Two logits: labels 0 and 1 as classes of a softmax classifier.</summary>
[Model(30)]
public partial class TwoLogits
{
    [Dense(8, activation: Activation.Relu)] private readonly Layer hidden;
    [Dense(2)] private readonly Layer logits;
}

/// <summary>A baseline that trains well and a fine-tuning learning rate no optimizer survives: every pruning diverges.</summary>
[Model(30)]
[PolynomialDecay(0.0, 0.5, beginStep: 0, endStep: 20, frequency: 5)]
[Training(Optimizer = Optimizer.Sgd, LearningRate = 0.01, FineTuneLearningRate = 1e30, Epochs = 2, FineTuneEpochs = 1, BatchSize = 32)]
public partial class DivergesWhenFineTuned
{
    [Dense(8, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
}

/// <summary>Filter pruning: half of the first hidden layer's units removed; the pipeline exports the smaller model.</summary>
[Model(30)]
[PolynomialDecay(0.0, 0.5, beginStep: 0, endStep: 20, frequency: 5)]
[Training(Epochs = 3, FineTuneEpochs = 3, BatchSize = 32, LearningRate = 0.01)]
public partial class FilterPrunedTabular
{
    [Dense(16, activation: Activation.Relu), Prune, FilterSparsity] private readonly Layer hidden1;
    [Dense(8, activation: Activation.Relu), Prune, FilterSparsity(FilterCriterion.L2)] private readonly Layer hidden2;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
}

/// <summary>Pruned on a schedule that starts after its fine-tuning ends (3 epochs of 18 steps on the table): its masks stay all ones.</summary>
[Model(30)]
[PolynomialDecay(0.0, 0.5, beginStep: 1000, endStep: 2000, frequency: 5)]
[Training(Epochs = 1, FineTuneEpochs = 3, BatchSize = 32, LearningRate = 0.01)]
public partial class PrunedAfterFineTuning
{
    [Dense(8, activation: Activation.Relu), Prune] private readonly Layer hidden;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
}
