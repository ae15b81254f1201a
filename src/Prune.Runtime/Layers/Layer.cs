using System.Collections.Concurrent;
using System.Reflection;
using Prune.Export;
using Prune.Layers;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune;

/// <summary>
/// One layer of a <see cref="Model"/>: a TorchSharp module built from its <see cref="LayerSpec"/>. It computes its
/// <see cref="PreActivation"/> and then applies the spec's activation; export reads the same two parts. Users declare
/// fields of this type and Prune's generator constructs them; <see cref="Create"/> builds one from a spec at run time.
/// </summary>
public abstract class Layer : nn.Module<Tensor, Tensor>
{
    private static readonly ConcurrentDictionary<Type, ConstructorInfo?> s_constructors = new();

    /// <summary>Creates the layer described by <paramref name="spec"/>, named after it.</summary>
    /// <exception cref="InvalidSpecException">The spec breaks a rule (a setting out of range, a shape its settings do not give).</exception>
    protected Layer(LayerSpec spec) : base(spec.Name)
    {
        SpecValidation.ThrowIfInvalid(spec);
        Spec = spec;
    }

    /// <summary>The declaration this layer was built from.</summary>
    public LayerSpec Spec { get; }

    /// <summary>
    /// Builds the layer a spec describes, with freshly initialized parameters: the class <c>Prune.Layers.{Kind}Layer</c>
    /// (<see cref="LayerSpec.Kind"/>), the one the generated code constructs for the same spec.
    /// </summary>
    /// <exception cref="InvalidSpecException">The spec breaks a rule.</exception>
    public static Layer Create(LayerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var constructor = s_constructors.GetOrAdd(spec.GetType(),
            type => typeof(Layer).Assembly.GetType($"{typeof(DenseLayer).Namespace}.{spec.Kind}Layer")?.GetConstructor([type]));
        if (constructor is null)
            throw new ArgumentException($"Layer {spec.Name}: no layer implements {spec.GetType().Name} (Prune.Layers.{spec.Kind}Layer).", nameof(spec));
        return (Layer)constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, [spec], culture: null);
    }

    /// <summary>What the layer computes before its activation: a weight layer's linear output, a BatchNorm's normalized
    /// input, a pooling's pooled values. Int8 export calibrates a separate activation's input on it.</summary>
    protected internal abstract Tensor PreActivation(Tensor input);

    /// <summary>What the layer computes before its activation from its input and the other outputs it reads (an Add's
    /// shortcut); most layers read only their input.</summary>
    internal virtual Tensor PreActivationOf(Tensor input, IReadOnlyList<Tensor> others) => others.Count == 0 ? PreActivation(input)
        : throw new InvalidOperationException($"Layer {Spec.Name}: a {Spec.Kind} layer reads one input, not {others.Count + 1}.");

    /// <summary>The layer's output: <see cref="PreActivation"/>, then the spec's activation.</summary>
    public sealed override Tensor forward(Tensor input) => Activations.Apply(PreActivation(input), Spec.Activation);

    /// <summary>Adds what the layer computes at inference to <paramref name="lowering"/> (export's description of the model,
    /// in TFLite's layouts); a layer that adds nothing is the identity there. The activation is added for it.</summary>
    internal virtual void Lower(Lowering lowering) =>
        throw new ExportException(Spec.Name, Spec.Kind, "Prune has no TFLite mapping for this kind of layer");
}
