namespace Prune.Tests.Shared.Models;

#pragma warning disable IDE1006 // Layer fields are named like torchvision's modules (conv1), not like private fields (_conv1).

/// <summary>
/// ResNet-18 (He et al. 2016, Table 1, the 18-layer column) as torchvision builds it, for 224x224 RGB images and the
/// 1000 ImageNet classes: 11,689,512 parameters. Fields are named like torchvision's modules, and a block's layers
/// like theirs with '_' for '.' (layer1_0_conv1 is torchvision's layer1.0.conv1).
/// </summary>
[Model(3, 224, 224)]
public partial class ResNet18
{
    // conv1: 7x7, 64, stride 2 (torchvision pads 3 on every side: Padding.Symmetric), BatchNorm, ReLU.
    [Conv2D(64, 7, stride: 2, padding: Padding.Symmetric, useBias: false)] Layer conv1;
    [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu)] Layer bn1;
    // conv2_x: 3x3 max pool, stride 2, then the table's rows: [3x3, filters; 3x3, filters] x 2.
    [MaxPool2D(3, stride: 2, padding: Padding.Symmetric)] Layer maxpool;
    [BasicBlock(64, repeat: 2)] Layer layer1;                // conv2_x, 56x56
    [BasicBlock(128, stride: 2, repeat: 2)] Layer layer2;    // conv3_x, 28x28
    [BasicBlock(256, stride: 2, repeat: 2)] Layer layer3;    // conv4_x, 14x14
    [BasicBlock(512, stride: 2, repeat: 2)] Layer layer4;    // conv5_x, 7x7
    // average pool, 1000-d fc.
    [GlobalAveragePool2D] Layer avgpool;
    [Dense(1000)] Layer fc;
}
