using Prune;

namespace Samples.Transfer;

/// <summary>
/// ResNet-18 pretrained on ImageNet (the ML.NET package's CNTK export, whose last stage has three blocks), without its
/// classifier: global average pooling and a new Dense(10) head, on MNIST digits resized to 3x32x32 (tfmot's
/// transfer-learning input). The pixels are normalized as the weights expect (the package's ResNetPreprocess.onnx: BGR
/// channels less their ImageNet means, 0–255, no scaling; the gray digits have the same value on all three channels).
/// Every convolution and the head are pruned to 50% while fine-tuning.
/// </summary>
[Model(3, 32, 32)]
[Pretrained("ResNet18Onnx/ResNet18.onnx", IncludeTop = false)]
[Normalize(mean: new[] { 103.06, 115.90, 123.15 }, std: new[] { 1.0 })]
[PolynomialDecay(initialSparsity: 0.0, finalSparsity: 0.5, beginStep: 0, endStep: 40, frequency: 10)]    // of 64 fine-tuning steps: 24 to recover
[Training(Optimizer = Optimizer.Adam, LearningRate = 1e-3, FineTuneLearningRate = 3e-4, BatchSize = 32, Epochs = 2, FineTuneEpochs = 2)]
public partial class TransferResNet18
{
    [Conv2D(64, 7, stride: 2, padding: Padding.Symmetric, useBias: false), Prune] private readonly Layer conv1;
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu)] private readonly Layer bn1;
    [MaxPool2D(3, stride: 2, padding: Padding.Symmetric)] private readonly Layer maxpool;
    [BasicBlock(64, repeat: 2), Prune] private readonly Layer layer1;
    [BasicBlock(128, stride: 2, repeat: 2), Prune] private readonly Layer layer2;
    [BasicBlock(256, stride: 2, repeat: 2), Prune] private readonly Layer layer3;
    [BasicBlock(512, stride: 2, repeat: 3), Prune] private readonly Layer layer4;    // the CNTK file's last stage: three blocks
    [GlobalAveragePool2D] private readonly Layer avgpool;
    [Dense(10), Prune] private readonly Layer fc;
}
