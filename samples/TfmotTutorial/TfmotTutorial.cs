using Prune;

namespace Samples.Tfmot;

/// <summary>
/// The model of tfmot's pruning tutorial ("Pruning in Keras example"), every layer pruned to 80% with tfmot's
/// PolynomialDecay (50% to 80% over steps 0-2,800). The baseline trains as tfmot's does (4 epochs, batch 32, Adam 1e-3);
/// fine-tuning runs 8 epochs at 1e-3 where tfmot runs 2, because the Dense layer, nearly all of the weights, is pruned in
/// 1x16 blocks: the int8 file stores it in LiteRT's int8 1x16 block-sparse layout (under tfmot's gzipped size, raw) and
/// the float file in its 1x4 one. Blocks cost accuracy that unstructured zeros do not, and the extra epochs win it back
/// (docs/benchmarks.md, "TfmotTutorial sample"). The blocks run along one channel's pixels: a Flatten read by a
/// block-pruned Dense layer keeps TorchSharp's (c, h, w) order in the file. The convolution's 3x3 filters have only 9
/// columns, too few for a 1x16 block: it is pruned weight by weight.
/// </summary>
[Model(1, 28, 28)]
[PolynomialDecay(initialSparsity: 0.5, finalSparsity: 0.8, beginStep: 0, endStep: 2800)]
[Training(Epochs = 4, FineTuneEpochs = 8, BatchSize = 32, LearningRate = 1e-3, FineTuneLearningRate = 1e-3)]
public partial class TfmotTutorial
{
    [Conv2D(12, 3, activation: Activation.Relu), Prune] private readonly Layer conv;
    [MaxPool2D(2)] private readonly Layer pool;
    [Flatten] private readonly Layer flatten;
    [Dense(10), Prune, BlockSparsity(1, 16)] private readonly Layer logits;
}
