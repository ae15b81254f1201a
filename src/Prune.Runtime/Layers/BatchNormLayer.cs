using Prune.Export;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>Batch normalization over dimension 1 (channels or features), Keras conventions mapped to PyTorch's.</summary>
internal sealed class BatchNormLayer : Layer
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

    /// <summary>The normalized input.</summary>
    protected internal override Tensor PreActivation(Tensor input) =>
        // Keras's momentum weighs the old statistics; PyTorch's weighs the new batch.
        nn.functional.batch_norm(input, RunningMean, RunningVariance, Scale, Offset, training, 1 - _spec.Momentum, _spec.Epsilon);

    /// <summary>BN(y) = y·s + t per channel, s = γ/√(σ²+ε) and t = β − μ·s, folded into the layer before it, whose op then
    /// computes this layer's output and takes its activation.</summary>
    internal override void Lower(Lowering lowering)
    {
        var gamma = Lowering.Values(Scale.detach());
        var beta = Lowering.Values(Offset.detach());
        var mean = Lowering.Values(RunningMean);
        var variance = Lowering.Values(RunningVariance);
        var scale = new float[gamma.Length];
        var shift = new float[gamma.Length];
        for (var c = 0; c < scale.Length; c++)
        {
            scale[c] = (float)(gamma[c] / Math.Sqrt(variance[c] + _spec.Epsilon));
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        lowering.FoldIntoLast(scale, shift, _spec.Activation);
    }
}
