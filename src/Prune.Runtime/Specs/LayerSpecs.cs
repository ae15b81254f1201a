namespace Prune.Specs;

/// <summary>
/// One layer as declared and checked at compile time: the generator writes these, and the trainer, the
/// pruner and the exporter read them. Shapes exclude the batch dimension.
/// </summary>
public abstract record LayerSpec
{
    /// <summary>The layer's name: the field that declares it.</summary>
    public required string Name { get; init; }

    /// <summary>The shape of one input sample.</summary>
    public required TensorShape InputShape { get; init; }

    /// <summary>The shape of one output sample.</summary>
    public required TensorShape OutputShape { get; init; }

    /// <summary>Trainable parameters (weights and biases; BatchNorm's scale and offset).</summary>
    public required long ParameterCount { get; init; }

    /// <summary>How the layer's weights are pruned, or null when they are not.</summary>
    public PruningSpec? Pruning { get; init; }

    /// <summary>Where the layer is declared.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>The attribute's name without its suffix, e.g. <c>Conv2D</c>.</summary>
    public abstract string Kind { get; }
}

/// <summary>A 2-D convolution. Weight [filters, in, kh, kw]; bias [filters].</summary>
public sealed record Conv2DSpec : LayerSpec
{
    /// <summary>Output channels.</summary>
    public required int Filters { get; init; }
    /// <summary>Kernel size.</summary>
    public required Size2D Kernel { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <summary>Output function.</summary>
    public required Activation Activation { get; init; }
    /// <summary>Whether there is a bias.</summary>
    public required bool UseBias { get; init; }
    /// <inheritdoc/>
    public override string Kind => "Conv2D";
}

/// <summary>A depthwise convolution. Weight [in·multiplier, 1, kh, kw]; bias [in·multiplier].</summary>
public sealed record DepthwiseConv2DSpec : LayerSpec
{
    /// <summary>Output channels per input channel.</summary>
    public required int DepthMultiplier { get; init; }
    /// <summary>Kernel size.</summary>
    public required Size2D Kernel { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <summary>Output function.</summary>
    public required Activation Activation { get; init; }
    /// <summary>Whether there is a bias.</summary>
    public required bool UseBias { get; init; }
    /// <inheritdoc/>
    public override string Kind => "DepthwiseConv2D";
}

/// <summary>Max pooling.</summary>
public sealed record MaxPool2DSpec : LayerSpec
{
    /// <summary>Window size.</summary>
    public required Size2D Pool { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <inheritdoc/>
    public override string Kind => "MaxPool2D";
}

/// <summary>Average pooling; with <see cref="Padding.Same"/>, the padding is not counted.</summary>
public sealed record AveragePool2DSpec : LayerSpec
{
    /// <summary>Window size.</summary>
    public required Size2D Pool { get; init; }
    /// <summary>Window step.</summary>
    public required Size2D Stride { get; init; }
    /// <summary>Border handling.</summary>
    public required Padding Padding { get; init; }
    /// <inheritdoc/>
    public override string Kind => "AveragePool2D";
}

/// <summary>Per-channel mean over height and width.</summary>
public sealed record GlobalAveragePool2DSpec : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "GlobalAveragePool2D";
}

/// <summary>[C, H, W] to [C·H·W], channel-major (TorchSharp's order).</summary>
public sealed record FlattenSpec : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "Flatten";
}

/// <summary>A fully connected layer. Weight [units, inputs]; bias [units].</summary>
public sealed record DenseSpec : LayerSpec
{
    /// <summary>Output features.</summary>
    public required int Units { get; init; }
    /// <summary>Output function.</summary>
    public required Activation Activation { get; init; }
    /// <summary>Whether there is a bias.</summary>
    public required bool UseBias { get; init; }
    /// <inheritdoc/>
    public override string Kind => "Dense";
}

/// <summary>Dropout while training; identity otherwise.</summary>
public sealed record DropoutSpec : LayerSpec
{
    /// <summary>Fraction dropped.</summary>
    public required double Rate { get; init; }
    /// <inheritdoc/>
    public override string Kind => "Dropout";
}

/// <summary>Batch normalization over the channel (first) dimension, Keras conventions.</summary>
public sealed record BatchNormSpec : LayerSpec
{
    /// <summary>Weight of the old running statistics in each update.</summary>
    public required double Momentum { get; init; }
    /// <summary>Added to the variance.</summary>
    public required double Epsilon { get; init; }
    /// <summary>Function applied after normalizing (fused into the folded op on export).</summary>
    public Activation Activation { get; init; } = Activation.None;
    /// <inheritdoc/>
    public override string Kind => "BatchNorm";
}
