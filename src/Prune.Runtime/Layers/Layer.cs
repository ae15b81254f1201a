using Prune.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune;

/// <summary>
/// One layer of a <see cref="Model"/>: a TorchSharp module built from its <see cref="LayerSpec"/>. Users declare
/// fields of this type and Prune's generator constructs them; <see cref="Create"/> builds one from a spec at run time.
/// </summary>
public abstract class Layer : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer described by <paramref name="spec"/>, named after it.</summary>
    protected Layer(LayerSpec spec) : base(spec.Name) => Spec = spec;

    /// <summary>The declaration this layer was built from.</summary>
    public LayerSpec Spec { get; }

    /// <summary>Builds the layer a spec describes, with freshly initialized parameters.</summary>
    public static Layer Create(LayerSpec spec) => spec switch
    {
        Conv2DSpec s => new Layers.Conv2DLayer(s),
        DepthwiseConv2DSpec s => new Layers.DepthwiseConv2DLayer(s),
        MaxPool2DSpec s => new Layers.MaxPool2DLayer(s),
        AveragePool2DSpec s => new Layers.AveragePool2DLayer(s),
        GlobalAveragePool2DSpec s => new Layers.GlobalAveragePool2DLayer(s),
        FlattenSpec s => new Layers.FlattenLayer(s),
        DenseSpec s => new Layers.DenseLayer(s),
        DropoutSpec s => new Layers.DropoutLayer(s),
        BatchNormSpec s => new Layers.BatchNormLayer(s),
        _ => throw new ArgumentException($"Layer {spec.Name}: no layer implements {spec.GetType().Name}.", nameof(spec)),
    };

    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/>; softmax runs over dimension 1 (the units).</summary>
    protected static Tensor Activate(Tensor x, Activation activation) => activation switch
    {
        Activation.None => x,
        Activation.Relu => nn.functional.relu(x),
        Activation.Relu6 => nn.functional.relu6(x),
        Activation.Sigmoid => torch.sigmoid(x),
        Activation.Tanh => torch.tanh(x),
        Activation.Softmax => torch.softmax(x, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}

/// <summary>
/// A layer with a weight tensor that can be pruned (Conv2D, DepthwiseConv2D, Dense). While it is pruned, a 0/1
/// mask of the weight's shape is registered as the buffer <c>weight_mask</c>; stripping removes it.
/// </summary>
public abstract class WeightLayer : Layer
{
    /// <summary>The name of the mask buffer while the layer is pruned.</summary>
    public const string MaskBufferName = "weight_mask";

    /// <summary>Creates the layer with its weight (Glorot-uniform, Keras's default) and zero bias.</summary>
    protected WeightLayer(LayerSpec spec, long[] weightShape, long biasLength, bool useBias) : base(spec)
    {
        Weight = new TorchSharp.Modules.Parameter(empty(weightShape));
        nn.init.xavier_uniform_(Weight);
        register_parameter("weight", Weight);
        if (useBias)
        {
            Bias = new TorchSharp.Modules.Parameter(zeros(biasLength));
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
        WeightMask = mask;
        // Replaces the previous mask in place: register_buffer refuses a name that is already registered.
        ConditionallyRegisterBuffer(MaskBufferName, mask);
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
