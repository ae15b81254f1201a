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

/// <summary>How a convolution or pooling window treats the border (TensorFlow's conventions).</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the input, so the output shrinks.</summary>
    Valid,
    /// <summary>Zero padding so that the output size is ceil(input / stride); extra padding goes at the bottom and right.</summary>
    Same,
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
