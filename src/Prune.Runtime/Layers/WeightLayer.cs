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
        var initial = new TorchSharp.Modules.Parameter(empty([.. weight.Shape]));
        nn.init.xavier_uniform_(initial);
        register_parameter(WeightName, initial);
        if (weight.HasBias) register_parameter(BiasName, new TorchSharp.Modules.Parameter(zeros(weight.Rows)));
    }

    private const string WeightName = "weight";
    private const string BiasName = "bias";

    // Read from the registrations each time, never cached: moving the model to another device or dtype (Module.to)
    // replaces every parameter and buffer, disposing the old ones.

    /// <summary>The weight: [out, in, kh, kw] for convolutions, [out, in] for dense layers.</summary>
    public TorchSharp.Modules.Parameter Weight => get_parameter(WeightName)!;

    /// <summary>The bias, or null when the layer has none.</summary>
    public TorchSharp.Modules.Parameter? Bias => get_parameter(BiasName);

    /// <summary>The pruning mask, while the layer is being pruned.</summary>
    public Tensor? WeightMask => get_buffer(MaskBufferName);

    /// <summary>Registers <paramref name="mask"/> (same shape as <see cref="Weight"/>, 0/1) as the <c>weight_mask</c> buffer, replacing any previous mask.</summary>
    public void AttachMask(Tensor mask)
    {
        if (!mask.shape.SequenceEqual(Weight.shape))
            throw new ArgumentException($"Layer {Spec.Name}: a mask of shape [{string.Join(", ", mask.shape)}] does not fit the weight [{string.Join(", ", Weight.shape)}].", nameof(mask));
        var previous = WeightMask;
        // TorchSharp refuses to register a buffer name twice: drop the old registration first.
        if (previous is not null) ConditionallyRegisterBuffer(MaskBufferName, null);
        register_buffer(MaskBufferName, mask);
        if (previous is not null && !ReferenceEquals(previous, mask)) previous.Dispose();
    }

    /// <summary>Removes and disposes the mask buffer; the weight keeps whatever zeros it holds.</summary>
    public void DetachMask()
    {
        if (WeightMask is not { } mask) return;
        ConditionallyRegisterBuffer(MaskBufferName, null);
        mask.Dispose();
    }
}
