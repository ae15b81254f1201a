using Prune.Specs;
using Prune.Specs.Rules;

namespace Prune.Export;

/// <summary>
/// Turns a model's layers into <see cref="LoweredOp"/>s, the description both writers read, by the model's graph:
/// each layer adds what it computes (<see cref="Layer.Lower"/>: NCHW weights to TFLite's layouts, a BatchNorm folded
/// into the layer it reads), reading the outputs of the layers it reads; a layer that adds nothing is the identity at
/// inference and passes its input's tensor on, leaving only its activation, if any. Checks export's own rules first:
/// what a BatchNorm folds into, and that a flattened image reaches only Dense layers.
/// </summary>
internal static class ModelLowering
{
    public static List<LoweredOp> Lower(Model model)
    {
        var layers = model.Layers;
        var graph = model.Graph;
        for (var i = 0; i < layers.Count; i++)
        {
            var spec = layers[i].Spec;
            if (spec.FoldsIntoPrevious && FoldProblem(model, graph, i) is { } cannotFold) throw new ExportException(spec.Name, spec.Kind, cannotFold);
            if (spec is FlattenSpec { IsIdentityAtInference: false }) CheckFlattenReaders(model, graph, i);
        }

        var lowering = new Lowering(model.Spec);
        for (var i = 0; i < layers.Count; i++)
        {
            var spec = layers[i].Spec;
            var opsBefore = lowering.Ops.Count;
            lowering.LayerIndex = i;
            layers[i].Lower(lowering);
            var computes = lowering.Ops.Count > opsBefore || spec.FoldsIntoPrevious;
            if (!computes && spec.Activation != Activation.None)
            {
                lowering.Add(new ActivationOp(spec.Name, i, spec.Activation));
                computes = true;
            }
            lowering.Lowered(computes);
        }
        if (lowering.Ops.Count == 0) throw new ExportException($"Model '{model.Spec.Name}' has no layer that computes anything.");
        // The model's output is the last layer's: every other branch joins before it (PRUNE035), so the last op computes it.
        if (lowering.Ops[^1].OutputLayer != lowering.SourceOf(layers.Count - 1))
            throw new InvalidOperationException($"Model '{model.Spec.Name}': the last op does not compute the model's output.");
        return [.. lowering.Ops];
    }

    /// <summary>
    /// Why layer <paramref name="index"/> (a BatchNorm) cannot fold into the layer it reads (through layers that pass
    /// their input on), or null when it can: the generator's PRUNE027 rules, on the specs: the layer has a weight and no
    /// activation, and, in a model with branches, nothing else reads its output, which folding removes.
    /// </summary>
    private static string? FoldProblem(Model model, LayerGraph graph, int index)
    {
        var layers = model.Spec.Layers;
        var passesInputOn = PassesInputOn(layers);
        var target = graph.SourceThrough(graph.InputOf(index), passesInputOn);
        var previous = target == LayerGraph.ModelInput ? null : layers[target];
        var problem = LayerRules.FoldInto(layers[index].Name, previous?.Name, previous?.Kind ?? "", previous?.Weight is not null, previous?.Activation.ToString() ?? "None")
            ?? LayerRules.FoldedOutputReadElsewhere(index, graph, [.. layers.Select(l => l.Name)], passesInputOn);
        return problem?.Message;
    }

    /// <summary>
    /// A Flatten of an image may write TFLite's (h, w, c) order, TorchSharp's is (c, h, w): only a Dense layer reading it
    /// has its columns reordered to match (<see cref="ExportColumnOrder"/>), so only Dense layers may read it.
    /// </summary>
    private static void CheckFlattenReaders(Model model, LayerGraph graph, int flatten)
    {
        var layers = model.Spec.Layers;
        var passesInputOn = PassesInputOn(layers);
        var readers = graph.ReadersThrough(flatten, passesInputOn);
        if (readers.Select(r => layers[r]).FirstOrDefault(r => r is not DenseSpec) is { } other)
            throw new ExportException(other.Name, other.Kind, "only Dense or Dropout may follow a Flatten of an image-shaped tensor");
        if (readers.Count == 0 || graph.SourceThrough(layers.Count - 1, passesInputOn) == flatten)
            throw new ExportException(layers[flatten].Name, layers[flatten].Kind,
                "a Flatten of an image-shaped tensor must be followed by a Dense layer: TFLite orders its values (h, w, c), TorchSharp (c, h, w), and only a Dense layer's columns are reordered to match");
    }

    /// <summary>Whether a layer is the identity at inference and has no activation: its output is its input's tensor.</summary>
    private static Func<int, bool> PassesInputOn(IReadOnlyList<LayerSpec> layers) =>
        layer => layers[layer].IsIdentityAtInference && layers[layer].Activation == Activation.None;
}
