using Prune;

namespace Samples.Tfmot;

/// <summary>
/// The model of tfmot's pruning tutorial ("Pruning in Keras example"), trained and pruned much as it is: 4 epochs at batch
/// 32 (Keras's default there), then 2 epochs of fine-tuning (at batch 32 and half the learning rate; tfmot fine-tunes
/// at batch 128) while PolynomialDecay takes every layer from 50% to 80% sparsity over 3/4 of them. The Dense
/// layer, nearly all of the weights, is pruned in 1x16 blocks (in the exported (h, w, c) column order): the int8 file
/// stores it in LiteRT's int8 1x16 block-sparse layout and the float file in its 1x4 one. The convolution's 3x3
/// filters have only 9 columns, too few for a 1x16 block: it is pruned weight by weight.
/// </summary>
[Model(1, 28, 28)]
[PolynomialDecay(initialSparsity: 0.5, finalSparsity: 0.8, beginStep: 0, endStep: 2800)]
[Training(Epochs = 4, FineTuneEpochs = 2, BatchSize = 32, LearningRate = 1e-3, FineTuneLearningRate = 5e-4)]
public partial class TfmotTutorial
{
    [Conv2D(12, 3, activation: Activation.Relu), Prune] private readonly Layer conv;
    [MaxPool2D(2)] private readonly Layer pool;
    [Flatten] private readonly Layer flatten;
    [Dense(10), Prune, BlockSparsity(1, 16)] private readonly Layer logits;
}
