namespace Prune.Tests.Shared.Models;

#pragma warning disable IDE1006 // Layer fields are named like the paper's rows (stem_bn), not like private fields (_stem).

/// <summary>
/// MobileNetV2 1.0 (Sandler et al. 2018, Table 2) as torchvision builds it, for 224x224 RGB images and the 1000 ImageNet
/// classes: 3,504,872 parameters. One line per row of the table: t (expansion), c (filters), n (repeat), s (stride).
/// </summary>
[Model(3, 224, 224)]
public partial class MobileNetV2
{
    // conv2d 3x3, 32, stride 2 (torchvision pads 1 on every side: Padding.Symmetric), BatchNorm, ReLU6.
    [Conv2D(32, 3, stride: 2, padding: Padding.Symmetric, useBias: false)] Layer stem;
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu6)] Layer stem_bn;
    //                    t,   c,           n,          s
    [InvertedResidual(1, 16, repeat: 1, stride: 1)] Layer block1;     // 112x112
    [InvertedResidual(6, 24, repeat: 2, stride: 2)] Layer block2;     // 56x56
    [InvertedResidual(6, 32, repeat: 3, stride: 2)] Layer block3;     // 28x28
    [InvertedResidual(6, 64, repeat: 4, stride: 2)] Layer block4;     // 14x14
    [InvertedResidual(6, 96, repeat: 3, stride: 1)] Layer block5;     // 14x14
    [InvertedResidual(6, 160, repeat: 3, stride: 2)] Layer block6;    // 7x7
    [InvertedResidual(6, 320, repeat: 1, stride: 1)] Layer block7;    // 7x7
    // conv2d 1x1, 1280, BatchNorm, ReLU6; avgpool 7x7; dropout 0.2 and a 1000-class classifier (torchvision's).
    [Conv2D(1280, 1, useBias: false)] Layer head;
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu6)] Layer head_bn;
    [GlobalAveragePool2D] Layer pool;
    [Dropout(0.2)] Layer dropout;
    [Dense(1000)] Layer classifier;
}
