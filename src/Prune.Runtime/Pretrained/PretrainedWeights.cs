using static TorchSharp.torch;

namespace Prune.Pretrained;

/// <summary>
/// The weights a pretrained file holds for a declared model, mapped to its layers: the tensors, and the layers they
/// fill (the backbone, which <c>FreezeEpochs</c> freezes; the layers after it, the head, keep their fresh weights).
/// </summary>
/// <param name="Tensors">Each tensor with its layer and parameter or buffer.</param>
/// <param name="Layers">The names of the layers the file provides, in order.</param>
internal sealed record PretrainedWeights(IReadOnlyList<LoadedTensor> Tensors, IReadOnlyList<string> Layers)
{
    /// <summary>Copies the tensors into <paramref name="model"/>'s layers, each checked against the parameter or buffer it replaces.</summary>
    /// <exception cref="PretrainedWeightsException">A tensor's shape is not the layer's (the message names both).</exception>
    public void CopyInto(Model model, string file)
    {
        var layers = model.Layers.ToDictionary(l => l.Spec.Name, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var loaded in Tensors)
        {
            var layer = layers[loaded.Layer];
            var target = TargetOf(layer, loaded.Name)
                ?? throw new PretrainedWeightsException(PretrainedProblem.DoesNotFit,
                    $"The pretrained file {file} does not fit {model.Spec.Name}: layer {loaded.Layer} ({layer.Spec.Kind}) has no '{loaded.Name}' for {loaded.Origin}.");
            if (!target.shape.SequenceEqual(loaded.Shape))
            {
                throw new PretrainedWeightsException(PretrainedProblem.DoesNotFit,
                    $"The pretrained file {file} does not fit {model.Spec.Name}: layer {loaded.Layer} ({layer.Spec.Kind}) has a {loaded.Name} of shape {LoadedTensor.Format(target.shape)}, but the file's {loaded.Origin} has shape {LoadedTensor.Format(loaded.Shape)}.");
            }
            using var values = tensor(loaded.Values, loaded.Shape);
            target.copy_(values);
        }
    }

    /// <summary>The parameters and buffers a layer holds, by the names TorchSharp registers them under (the mask excluded).</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> StateOf(Layer layer) =>
        layer.named_parameters(recurse: false).Select(p => (p.name, (Tensor)p.parameter))
            .Concat(layer.named_buffers(recurse: false).Where(b => b.name != WeightLayer.MaskBufferName).Select(b => (b.name, b.buffer)));

    private static Tensor? TargetOf(Layer layer, string name) => StateOf(layer).FirstOrDefault(s => s.Name == name).Tensor;
}
