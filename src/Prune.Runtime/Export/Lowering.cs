using Prune.Specs;
using Prune.Specs.Rules;
using static TorchSharp.torch;

namespace Prune.Export;

/// <summary>
/// Export's description of a model while it is built, layer by layer (<see cref="Layer.Lower"/>): the lowered ops so
/// far, and which op's output holds each lowered layer's output. <see cref="ModelLowering"/> runs it and checks
/// export's rules.
/// </summary>
internal sealed class Lowering
{
    private readonly List<LoweredOp> _ops = [];
    private readonly LayerGraph _graph;
    private readonly int[] _source;

    public Lowering(ModelSpec model)
    {
        Model = model;
        _graph = model.Graph;
        _source = new int[model.Layers.Count];
    }

    /// <summary>The model being lowered.</summary>
    public ModelSpec Model { get; }

    public IReadOnlyList<LoweredOp> Ops => _ops;

    /// <summary>The index of the layer being lowered: the ops it adds compute its output.</summary>
    public int LayerIndex { get; set; }

    /// <summary>
    /// The layer whose op writes the tensor that holds <paramref name="layer"/>'s output: the layer itself when it
    /// computes something, else (a layer that is the identity at inference) its input's; <see cref="LayerGraph.ModelInput"/>
    /// for the model's input. Valid for layers lowered so far.
    /// </summary>
    public int SourceOf(int layer) => layer == LayerGraph.ModelInput ? layer : _source[layer];

    /// <summary>Records whether the layer just lowered computes its own output or passes its input's tensor through.</summary>
    public void Lowered(bool computes) => _source[LayerIndex] = computes ? LayerIndex : SourceOf(_graph.InputOf(LayerIndex));

    /// <summary>Adds an op computing the current layer's output from the tensors of the layers it reads.</summary>
    public void Add(LoweredOp op) => _ops.Add(op with { Reads = _graph.InputsOf(LayerIndex).Select(SourceOf).ToArray() });

    /// <summary>Folds a per-channel <paramref name="scale"/> and <paramref name="shift"/> (a BatchNorm) into the op that
    /// computes the current layer's input, which then computes the current layer's output, with its
    /// <paramref name="activation"/>. <see cref="ModelLowering"/> checks first that nothing else reads that input.</summary>
    public void FoldIntoInput(float[] scale, float[] shift, Activation activation)
    {
        var source = SourceOf(_graph.InputOf(LayerIndex));
        var index = _ops.FindLastIndex(op => op.OutputLayer == source);
        _ops[index] = (index < 0 ? null : _ops[index].WithOutputsScaled(scale, shift, LayerIndex, activation))
            ?? throw new InvalidOperationException($"{Model.Layers[LayerIndex].Name} cannot fold into its input: ModelLowering checks the fold first.");
    }

    /// <summary>A tensor's values as float32, row-major.</summary>
    public static float[] Values(Tensor t)
    {
        using var cpu = t.to(float32).cpu().contiguous();
        return cpu.data<float>().ToArray();
    }

    public static int[] Shape(Tensor t) => t.shape.Select(d => (int)d).ToArray();

    /// <summary>The layer's bias, or zeros (the exported op always has one).</summary>
    public static float[] BiasOf(WeightLayer layer) => layer.Bias is { } bias ? Values(bias.detach()) : new float[layer.Weight.shape[0]];
}
