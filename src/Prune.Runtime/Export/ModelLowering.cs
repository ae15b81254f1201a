using Prune.Specs.Rules;

namespace Prune.Export;

/// <summary>
/// Turns a model's layers into <see cref="LoweredOp"/>s, the description both writers read: each layer adds what it
/// computes (<see cref="Layer.Lower"/>: NCHW weights to TFLite's layouts, a BatchNorm folded into the layer before it);
/// a layer that adds nothing is the identity at inference and leaves only its activation, if any. Checks export's own
/// rules on the way: what a BatchNorm folds into, and that a flattened image reaches a Dense layer.
/// </summary>
internal static class ModelLowering
{
    public static List<LoweredOp> Lower(Model model)
    {
        if (model.Graph.HasBranches)
            throw new ExportException($"Model '{model.Spec.Name}' has branches (an Input or an Add), which export does not lower yet.");
        var lowering = new Lowering(model.Spec);
        var layers = model.Layers;
        string? flattenedBy = null;
        for (var i = 0; i < layers.Count; i++)
        {
            var spec = layers[i].Spec;
            if (spec.FoldsIntoPrevious && FoldProblem(layers, i) is { } cannotFold)
                throw new ExportException(spec.Name, spec.Kind, cannotFold.Message);
            var flattened = lowering.FlattenedImage;
            var opsBefore = lowering.Ops.Count;
            lowering.LayerIndex = i;
            layers[i].Lower(lowering);
            var computes = lowering.Ops.Count > opsBefore || spec.FoldsIntoPrevious;
            if (!computes && spec.Activation != Activation.None) lowering.Add(new ActivationOp(spec.Name, i, spec.Activation));
            if (flattened is null && lowering.FlattenedImage is not null) flattenedBy = spec.Name;
            if (flattened is not null && lowering.FlattenedImage is not null && !(spec.IsIdentityAtInference && spec.Activation == Activation.None))
                throw new ExportException(spec.Name, spec.Kind, "only Dense or Dropout may follow a Flatten of an image-shaped tensor");
        }
        if (lowering.FlattenedImage is not null)
        {
            var flatten = layers.First(l => l.Spec.Name == flattenedBy).Spec;
            throw new ExportException(flatten.Name, flatten.Kind,
                "a Flatten of an image-shaped tensor must be followed by a Dense layer: TFLite orders its values (h, w, c), TorchSharp (c, h, w), and only a Dense layer's columns are reordered to match");
        }
        if (lowering.Ops.Count == 0) throw new ExportException($"Model '{model.Spec.Name}' has no layer that computes anything.");
        return [.. lowering.Ops];
    }

    /// <summary>Why layer <paramref name="index"/> cannot fold into the layer before it (layers that pass their input
    /// through unchanged skipped), or null when it can: the generator's PRUNE027 rule, on the specs.</summary>
    private static Problem? FoldProblem(IReadOnlyList<Layer> layers, int index)
    {
        var previous = layers.Take(index).Select(l => l.Spec).LastOrDefault(s => !(s.IsIdentityAtInference && s.Activation == Activation.None));
        return LayerRules.FoldInto(layers[index].Spec.Name, previous?.Name, previous?.Kind ?? "", previous?.Weight is not null,
            previous?.Activation.ToString() ?? "None");
    }
}
