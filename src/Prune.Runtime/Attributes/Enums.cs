namespace Prune;

/// <summary>The function a layer applies to its output.</summary>
public enum Activation
{
    /// <summary>Identity: the layer's output is its linear result (logits, for a last layer).</summary>
    None,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
    /// <summary>1 / (1 + e^-x); on a one-unit last layer, a binary classifier's probability.</summary>
    Sigmoid,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Normalized exponentials over the units; on a last layer, class probabilities.</summary>
    Softmax,
}

/// <summary>How a convolution or pooling window treats the border: TensorFlow's VALID and SAME, or PyTorch's symmetric padding.</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the input, so the output shrinks.</summary>
    Valid,
    /// <summary>TensorFlow's SAME: zero padding so that the output size is ceil(input / stride); extra padding goes at the
    /// bottom and right. Average pooling does not count the padded cells.</summary>
    Same,
    /// <summary>
    /// PyTorch's (and Caffe's) padding: (window − 1) / 2 cells (rounded down) on every side, so the output size is
    /// floor((input + 2·pad − window) / stride) + 1; a 7x7 stride-2 convolution pads 3, a 3x3 window pads 1. What a
    /// network trained in PyTorch (torchvision's ResNet) computes, which SAME does not at stride 2: SAME puts the odd
    /// pixel at the bottom and right only. Convolutions pad with zeros; max pooling's padded cells never win; average
    /// pooling counts the padded cells as zeros (PyTorch's default, count_include_pad). Exported as an explicit pad
    /// (TFLite PAD or PADV2 before a VALID op, ONNX <c>pads</c>).
    /// </summary>
    Symmetric,
}

/// <summary>How block sparsity scores a block of weights.</summary>
public enum BlockPooling
{
    /// <summary>A block's score is the mean magnitude of its weights.</summary>
    Average,
    /// <summary>A block's score is the largest magnitude among its weights.</summary>
    Max,
}

/// <summary>How filter pruning ranks a layer's output channels: the lowest-ranked are removed first.</summary>
public enum FilterCriterion
{
    /// <summary>The L1 norm of the channel's filter (the sum of its weights' magnitudes).</summary>
    L1,
    /// <summary>The L2 norm of the channel's filter.</summary>
    L2,
    /// <summary>The magnitude of the scale (γ) of the BatchNorm that follows the layer (network slimming); the layer
    /// needs a BatchNorm after it.</summary>
    BatchNormScale,
}

/// <summary>The optimizer used for baseline training and fine-tuning.</summary>
public enum Optimizer
{
    /// <summary>Adam with PyTorch's default betas (0.9, 0.999) and epsilon 1e-8.</summary>
    Adam,
    /// <summary>Stochastic gradient descent, with <see cref="TrainingAttribute.Momentum"/>.</summary>
    Sgd,
}
