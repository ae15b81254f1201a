using Prune;

namespace Samples.Tabular;

/// <summary>
/// TensorFlow's DNNClassifier example (hidden units 16 and 8, binary) on the 30 features of the Wisconsin breast-cancer
/// data. Inputs are standardized with the training split's mean and deviation; the report lists both.
/// </summary>
[Model(30)]
[PolynomialDecay(initialSparsity: 0.0, finalSparsity: 0.7, beginStep: 0, endStep: 300, frequency: 20)]
[Training(Epochs = 60, FineTuneEpochs = 40, BatchSize = 32, LearningRate = 3e-3)]
public partial class BreastCancerClassifier
{
    [Dense(16, activation: Activation.Relu), Prune] private readonly Layer hidden1;
    [Dense(8, activation: Activation.Relu), Prune] private readonly Layer hidden2;
    [Dense(1, activation: Activation.Sigmoid)] private readonly Layer benign;
}
