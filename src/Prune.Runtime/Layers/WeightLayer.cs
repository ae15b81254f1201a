using Prune.Specs;
using static TorchSharp.torch;

namespace Prune;

/// <summary>
/// A layer with a weight tensor that can be pruned (its spec has a <see cref="LayerSpec.Weight"/>). While it is pruned,
/// a 0/1 mask of the weight's shape is registered as the buffer <c>weight_mask</c>; stripping removes it.
/// </summary>
internal abstract class WeightLayer : Layer
{
    /// <summary>The name of the mask buffer while the layer is pruned.</summary>
    public const string MaskBufferName = "weight_mask";

    /// <summary>Creates the layer with the weight its spec describes (Glorot-uniform, Keras's default) and a zero bias.</summary>
    protected WeightLayer(LayerSpec spec) : base(spec)
    {
        var weight = spec.Weight ?? throw new ArgumentException($"Layer {spec.Name}: a {spec.Kind} layer has no weight.", nameof(spec));
        Weight = new TorchSharp.Modules.Parameter(empty([.. weight.Shape]));
        nn.init.xavier_uniform_(Weight);
        register_parameter("weight", Weight);
        if (weight.HasBias)
        {
            Bias = new TorchSharp.Modules.Parameter(zeros(weight.Rows));
            register_parameter("bias", Bias);
        }
    }

    /// <summary>The weight: [out, in, kh, kw] for convolutions, [out, in] for dense layers.</summary>
    public TorchSharp.Modules.Parameter Weight { get; }

    /// <summary>The bias, or null when the layer has none.</summary>
    public TorchSharp.Modules.Parameter? Bias { get; }

    /// <summary>The pruning mask, while the layer is being pruned.</summary>
    public Tensor? WeightMask { get; private set; }

    /// <summary>Registers <paramref name="mask"/> (same shape as <see cref="Weight"/>, 0/1) as the <c>weight_mask</c> buffer, replacing any previous mask.</summary>
    public void AttachMask(Tensor mask)
    {
        if (!mask.shape.SequenceEqual(Weight.shape))
            throw new ArgumentException($"Layer {Spec.Name}: a mask of shape [{string.Join(", ", mask.shape)}] does not fit the weight [{string.Join(", ", Weight.shape)}].", nameof(mask));
        var previous = WeightMask;
        // TorchSharp refuses to register a buffer name twice: drop the old registration first.
        if (previous is not null) ConditionallyRegisterBuffer(MaskBufferName, null);
        WeightMask = mask;
        register_buffer(MaskBufferName, mask);
        if (previous is not null && !ReferenceEquals(previous, mask)) previous.Dispose();
    }

    /// <summary>Removes and disposes the mask buffer; the weight keeps whatever zeros it holds.</summary>
    public void DetachMask()
    {
        if (WeightMask is null) return;
        ConditionallyRegisterBuffer(MaskBufferName, null);
        WeightMask.Dispose();
        WeightMask = null;
    }
}
