namespace Prune;

/// <summary>Marks a <see cref="Layer"/> field as one layer of a <see cref="ModelAttribute">model</see>.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The field of an earlier layer whose output this layer reads, as <c>nameof(field)</c>; by default the layer
    /// declared right before it. A residual block's projection reads the block's input this way.
    /// </summary>
    public string? Input { get; set; }
}

/// <summary>
/// Adds an earlier layer's output to this layer's input, element by element: the join of a residual block. Both must
/// have the same shape. The activation (a ResNet's ReLU) applies to the sum.
/// </summary>
/// <param name="shortcut">The field of the earlier layer whose output is added, as <c>nameof(field)</c>.</param>
/// <param name="activation">Function applied to the sum.</param>
public sealed class AddAttribute(string shortcut, Activation activation = Activation.None) : LayerAttribute
{
    /// <summary>The field of the earlier layer whose output is added.</summary>
    public string Shortcut { get; } = shortcut;
    /// <summary>Function applied to the sum.</summary>
    public Activation Activation { get; } = activation;
}

/// <summary>A 2-D convolution over NCHW inputs.</summary>
/// <param name="filters">Output channels.</param>
/// <param name="kernelSize">Square kernel size.</param>
/// <param name="stride">Step of the window in both directions.</param>
/// <param name="padding">Border handling.</param>
/// <param name="activation">Function applied to the output.</param>
/// <param name="useBias">Whether the layer adds a per-channel bias.</param>
public sealed class Conv2DAttribute(int filters, int kernelSize, int stride = 1, Padding padding = Padding.Valid,
    Activation activation = Activation.None, bool useBias = true) : LayerAttribute
{
    /// <summary>Output channels.</summary>
    public int Filters { get; } = filters;
    /// <summary>Square kernel size.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>Step of the window in both directions.</summary>
    public int Stride { get; } = stride;
    /// <summary>Border handling.</summary>
    public Padding Padding { get; } = padding;
    /// <summary>Function applied to the output.</summary>
    public Activation Activation { get; } = activation;
    /// <summary>Whether the layer adds a per-channel bias.</summary>
    public bool UseBias { get; } = useBias;
}

/// <summary>A depthwise 2-D convolution: each input channel is convolved with its own <paramref name="depthMultiplier"/> kernels.</summary>
/// <param name="kernelSize">Square kernel size.</param>
/// <param name="depthMultiplier">Output channels per input channel.</param>
/// <param name="stride">Step of the window in both directions.</param>
/// <param name="padding">Border handling.</param>
/// <param name="activation">Function applied to the output.</param>
/// <param name="useBias">Whether the layer adds a per-channel bias.</param>
public sealed class DepthwiseConv2DAttribute(int kernelSize, int depthMultiplier = 1, int stride = 1, Padding padding = Padding.Valid,
    Activation activation = Activation.None, bool useBias = true) : LayerAttribute
{
    /// <summary>Square kernel size.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>Output channels per input channel.</summary>
    public int DepthMultiplier { get; } = depthMultiplier;
    /// <summary>Step of the window in both directions.</summary>
    public int Stride { get; } = stride;
    /// <summary>Border handling.</summary>
    public Padding Padding { get; } = padding;
    /// <summary>Function applied to the output.</summary>
    public Activation Activation { get; } = activation;
    /// <summary>Whether the layer adds a per-channel bias.</summary>
    public bool UseBias { get; } = useBias;
}

/// <summary>Max pooling over square windows.</summary>
/// <param name="poolSize">Window size.</param>
/// <param name="stride">Step of the window; 0 means the window size.</param>
/// <param name="padding">Border handling.</param>
public sealed class MaxPool2DAttribute(int poolSize = 2, int stride = 0, Padding padding = Padding.Valid) : LayerAttribute
{
    /// <summary>Window size.</summary>
    public int PoolSize { get; } = poolSize;
    /// <summary>Step of the window; 0 means the window size.</summary>
    public int Stride { get; } = stride;
    /// <summary>Border handling.</summary>
    public Padding Padding { get; } = padding;
}

/// <summary>Average pooling over square windows (padding is not counted in the average).</summary>
/// <param name="poolSize">Window size.</param>
/// <param name="stride">Step of the window; 0 means the window size.</param>
/// <param name="padding">Border handling.</param>
public sealed class AveragePool2DAttribute(int poolSize = 2, int stride = 0, Padding padding = Padding.Valid) : LayerAttribute
{
    /// <summary>Window size.</summary>
    public int PoolSize { get; } = poolSize;
    /// <summary>Step of the window; 0 means the window size.</summary>
    public int Stride { get; } = stride;
    /// <summary>Border handling.</summary>
    public Padding Padding { get; } = padding;
}

/// <summary>The mean of each channel over height and width: [C, H, W] becomes [C].</summary>
public sealed class GlobalAveragePool2DAttribute : LayerAttribute;

/// <summary>Flattens [C, H, W] to [C·H·W], in that order.</summary>
public sealed class FlattenAttribute : LayerAttribute;

/// <summary>A fully connected layer.</summary>
/// <param name="units">Output features.</param>
/// <param name="activation">Function applied to the output.</param>
/// <param name="useBias">Whether the layer adds a bias.</param>
public sealed class DenseAttribute(int units, Activation activation = Activation.None, bool useBias = true) : LayerAttribute
{
    /// <summary>Output features.</summary>
    public int Units { get; } = units;
    /// <summary>Function applied to the output.</summary>
    public Activation Activation { get; } = activation;
    /// <summary>Whether the layer adds a bias.</summary>
    public bool UseBias { get; } = useBias;
}

/// <summary>Zeroes a random fraction of its inputs while training; the identity at inference (and removed on export).</summary>
/// <param name="rate">The fraction dropped, in [0, 1).</param>
public sealed class DropoutAttribute(double rate) : LayerAttribute
{
    /// <summary>The fraction dropped, in [0, 1).</summary>
    public double Rate { get; } = rate;
}

/// <summary>
/// Batch normalization over channels (Keras conventions), folded into the layer before it on export. That layer
/// must have no activation of its own; put the activation here instead (the usual conv, batch norm, ReLU).
/// </summary>
/// <param name="momentum">Weight of the old running statistics in each update (Keras: 0.99; PyTorch's momentum is 1 minus this).</param>
/// <param name="epsilon">Added to the variance before its square root.</param>
/// <param name="activation">Function applied after normalizing.</param>
public sealed class BatchNormAttribute(double momentum = 0.99, double epsilon = 1e-3, Activation activation = Activation.None) : LayerAttribute
{
    /// <summary>Function applied after normalizing.</summary>
    public Activation Activation { get; } = activation;
    /// <summary>Weight of the old running statistics in each update.</summary>
    public double Momentum { get; } = momentum;
    /// <summary>Added to the variance before its square root.</summary>
    public double Epsilon { get; } = epsilon;
}
