using Prune.Specs;
using static TorchSharp.torch;

namespace Prune;

/// <summary>
/// A model declared with <see cref="ModelAttribute"/>: Prune's generator makes the user's partial class derive
/// from this, with one <see cref="Layer"/> field per declared layer, a static <c>ModelSpec</c> and a <c>forward</c>
/// that runs the layers in order. <see cref="FromSpec"/> builds the same module at run time from a spec.
/// </summary>
public abstract class Model : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the model described by <paramref name="spec"/>, after checking it with the generator's rules.</summary>
    /// <exception cref="InvalidSpecException">The spec breaks a rule; the message names the layer and the rule.</exception>
    protected Model(ModelSpec spec) : base(Checked(spec).Name) => Spec = spec;

    /// <summary>The model as declared: layers, shapes, parameter counts, pruning and training settings.</summary>
    public ModelSpec Spec { get; }

    /// <summary>The layers, in the order they run (the order of <see cref="ModelSpec.Layers"/>).</summary>
    public abstract IReadOnlyList<Layer> Layers { get; }

    /// <summary>The layers whose weights are pruned, in order.</summary>
    internal IEnumerable<WeightLayer> PrunedLayers => Layers.OfType<WeightLayer>().Where(l => l.Spec.Pruning is not null);

    /// <summary>
    /// Builds the model a spec describes, without generated code: layers from <see cref="Layer.Create"/>, run in order.
    /// The spec is checked first with the rules the generator checks at compile time.
    /// </summary>
    /// <exception cref="InvalidSpecException">The spec breaks a rule; the message names the layer and the rule.</exception>
    public static Model FromSpec(ModelSpec spec) => new SequentialModel(spec);

    private static ModelSpec Checked(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        return spec;
    }

    private sealed class SequentialModel : Model
    {
        private readonly Layer[] _layers;

        public SequentialModel(ModelSpec spec) : base(spec)
        {
            _layers = spec.Layers.Select(Layer.Create).ToArray();
            foreach (var layer in _layers) register_module(layer.Spec.Name, layer);
        }

        public override IReadOnlyList<Layer> Layers => _layers;

        public override Tensor forward(Tensor input)
        {
            var x = input;
            foreach (var layer in _layers) x = layer.call(x);
            return x;
        }
    }
}
