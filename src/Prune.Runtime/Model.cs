using Prune.Layers;
using Prune.Specs;
using Prune.Specs.Rules;
using static TorchSharp.torch;

namespace Prune;

/// <summary>
/// A model declared with <see cref="ModelAttribute"/>: Prune's generator makes the user's partial class derive
/// from this, with one <see cref="Layer"/> field per declared layer and a static <c>ModelSpec</c>; <see cref="forward"/>
/// runs the layers as the spec connects them. <see cref="FromSpec"/> builds the same module at run time from a spec.
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

    /// <summary>How the layers connect (the spec's <see cref="ModelSpec.Graph"/>, read once).</summary>
    internal LayerGraph Graph => _graph ??= Spec.Graph;
    private LayerGraph? _graph;

    /// <summary>Runs the layers in declaration order, each on the outputs it reads (<see cref="LayerSpec.Input"/>, an Add's
    /// shortcut); the last layer's output is the model's.</summary>
    public override Tensor forward(Tensor input) => Run(input);

    /// <summary>
    /// Runs the layers as <see cref="forward"/> does and shows <paramref name="observe"/> each layer's index, what it
    /// computed before its activation and its output: int8 calibration measures their ranges on the way.
    /// </summary>
    internal Tensor Run(Tensor input, Action<int, Tensor, Tensor>? observe = null)
    {
        var graph = Graph;
        var layers = Layers;
        var outputs = new Tensor[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var reads = graph.InputsOf(i);
            var layer = layers[i];
            if (observe is null && reads.Count == 1)
            {
                outputs[i] = layer.call(Read(reads[0]));
                continue;
            }
            var linear = layer.PreActivationOf(Read(reads[0]), reads.Skip(1).Select(Read).ToArray());
            outputs[i] = Activations.Apply(linear, layer.Spec.Activation);
            observe?.Invoke(i, linear, outputs[i]);
        }
        return outputs[^1];

        Tensor Read(int layer) => layer == LayerGraph.ModelInput ? input : outputs[layer];
    }

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
    }
}
