using Prune.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>Max pooling; SAME padding pads with −∞ so that padding never wins.</summary>
public sealed class MaxPool2DLayer(MaxPool2DSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        var x = spec.Padding == Padding.Same ? Padding2D.PadSame(input, spec.Pool, spec.Stride, double.NegativeInfinity) : input;
        return nn.functional.max_pool2d(x, [spec.Pool.Height, spec.Pool.Width], [spec.Stride.Height, spec.Stride.Width]);
    }
}

/// <summary>Average pooling; with SAME padding the padded cells are not counted (TensorFlow's behaviour).</summary>
public sealed class AveragePool2DLayer(AveragePool2DSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        long[] kernel = [spec.Pool.Height, spec.Pool.Width];
        long[] strides = [spec.Stride.Height, spec.Stride.Width];
        if (spec.Padding == Padding.Valid) return nn.functional.avg_pool2d(input, kernel, strides);
        // Sum over the padded window divided by the count of real cells in it.
        var sums = nn.functional.avg_pool2d(Padding2D.PadSame(input, spec.Pool, spec.Stride), kernel, strides);
        using var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
        var counts = nn.functional.avg_pool2d(Padding2D.PadSame(ones, spec.Pool, spec.Stride), kernel, strides);
        return sums / counts;
    }
}

/// <summary>The per-channel mean over height and width: [N, C, H, W] to [N, C].</summary>
public sealed class GlobalAveragePool2DLayer(GlobalAveragePool2DSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input.mean([2L, 3L]);
}

/// <summary>[N, C, H, W] to [N, C·H·W], channel-major.</summary>
public sealed class FlattenLayer(FlattenSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => input.flatten(1);
}

/// <summary>Dropout while training, identity in evaluation mode.</summary>
public sealed class DropoutLayer(DropoutSpec spec) : Layer(spec)
{
    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => nn.functional.dropout(input, spec.Rate, training);
}

/// <summary>Batch normalization over dimension 1 (channels or features), Keras conventions mapped to PyTorch's.</summary>
public sealed class BatchNormLayer : Layer
{
    private readonly BatchNormSpec _spec;

    /// <summary>Builds the layer: scale 1, offset 0, running mean 0, running variance 1.</summary>
    public BatchNormLayer(BatchNormSpec spec) : base(spec)
    {
        _spec = spec;
        var channels = spec.InputShape[0];
        Scale = new TorchSharp.Modules.Parameter(ones(channels));
        Offset = new TorchSharp.Modules.Parameter(zeros(channels));
        RunningMean = zeros(channels);
        RunningVariance = ones(channels);
        register_parameter("weight", Scale);
        register_parameter("bias", Offset);
        register_buffer("running_mean", RunningMean);
        register_buffer("running_var", RunningVariance);
    }

    /// <summary>γ, per channel.</summary>
    public TorchSharp.Modules.Parameter Scale { get; }

    /// <summary>β, per channel.</summary>
    public TorchSharp.Modules.Parameter Offset { get; }

    /// <summary>The running mean used in evaluation mode.</summary>
    public Tensor RunningMean { get; }

    /// <summary>The running variance used in evaluation mode.</summary>
    public Tensor RunningVariance { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => Activate(Normalize(input), _spec.Activation);

    /// <summary>The normalized input before the activation (what int8 export calibrates a separate activation's input on).</summary>
    public Tensor Normalize(Tensor input) =>
        // Keras's momentum weighs the old statistics; PyTorch's weighs the new batch.
        nn.functional.batch_norm(input, RunningMean, RunningVariance, Scale, Offset, training, 1 - _spec.Momentum, _spec.Epsilon);
}
