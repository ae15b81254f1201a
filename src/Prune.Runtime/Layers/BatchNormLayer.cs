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
        register_parameter(ScaleName, new TorchSharp.Modules.Parameter(ones(channels)));
        register_parameter(OffsetName, new TorchSharp.Modules.Parameter(zeros(channels)));
        register_buffer(RunningMeanName, zeros(channels));
        register_buffer(RunningVarianceName, ones(channels));
    }

    // PyTorch's names. Read from the registrations each time, never cached: moving the model to another device or
    // dtype (Module.to) replaces every parameter and buffer, disposing the old ones.
    private const string ScaleName = "weight";
    private const string OffsetName = "bias";
    private const string RunningMeanName = "running_mean";
    private const string RunningVarianceName = "running_var";

    /// <summary>γ, per channel.</summary>
    public TorchSharp.Modules.Parameter Scale => get_parameter(ScaleName)!;

    /// <summary>β, per channel.</summary>
    public TorchSharp.Modules.Parameter Offset => get_parameter(OffsetName)!;

    /// <summary>The running mean used in evaluation mode.</summary>
    public Tensor RunningMean => get_buffer(RunningMeanName)!;

    /// <summary>The running variance used in evaluation mode.</summary>
    public Tensor RunningVariance => get_buffer(RunningVarianceName)!;

    /// <summary>In training mode, the weight of the batch's statistics in the running ones instead of the declared
    /// momentum's: <see cref="Pipeline.BatchNormStatistics"/> averages them over batches with it.</summary>
    internal double? BatchWeight { get; set; }

    /// <summary>The normalized input.</summary>
    protected internal override Tensor PreActivation(Tensor input) =>
        // Keras's momentum weighs the old statistics; PyTorch's weighs the new batch.
        nn.functional.batch_norm(input, RunningMean, RunningVariance, Scale, Offset, training, BatchWeight ?? 1 - _spec.Momentum, _spec.Epsilon);

    /// <summary>BN(y) = y·s + t per channel, s = γ/√(σ²+ε) and t = β − μ·s, folded into the layer it reads, whose op then
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
        lowering.FoldIntoInput(scale, shift, _spec.Activation);
    }
}
