using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Export;

/// <summary>
/// Export's description of a model while it is built, layer by layer (<see cref="Layer.Lower"/>): the lowered ops so
/// far, and what the next layer must know about its input. <see cref="ModelLowering"/> runs it and checks export's rules.
/// </summary>
internal sealed class Lowering(ModelSpec model)
{
    private readonly List<LoweredOp> _ops = [];

    /// <summary>The model being lowered.</summary>
    public ModelSpec Model { get; } = model;

    public IReadOnlyList<LoweredOp> Ops => _ops;

    /// <summary>The index of the layer being lowered: the ops it adds compute its output.</summary>
    public int LayerIndex { get; set; }

    /// <summary>While the current vector is an image flattened in TFLite's (h, w, c) order: that image's [C, H, W]. Only
    /// the Dense layer that reads it, whose columns are reordered to match (<see cref="ExportColumnOrder"/>), may follow.</summary>
    public int[]? FlattenedImage { get; set; }

    public void Add(LoweredOp op) => _ops.Add(op);

    /// <summary>Folds a per-channel <paramref name="scale"/> and <paramref name="shift"/> (a BatchNorm) into the last op,
    /// which then computes the current layer's output, with its <paramref name="activation"/>.</summary>
    public void FoldIntoLast(float[] scale, float[] shift, Activation activation) =>
        _ops[^1] = _ops[^1].WithOutputsScaled(scale, shift, LayerIndex, activation)
            ?? throw new InvalidOperationException($"{_ops[^1].Name} cannot take a folded layer: ModelLowering checks the fold first.");

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
