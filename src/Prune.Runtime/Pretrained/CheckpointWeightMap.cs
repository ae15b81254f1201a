using System.Collections;
using Prune.Specs;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Prune.Pretrained;

/// <summary>
/// Maps a PyTorch checkpoint (a <c>state_dict</c> saved with <c>torch.save</c>, read with TorchSharp.PyBridge) to a
/// declared model by name. A key is a module path and a tensor, <c>layer1.0.conv1.weight</c>; the layer it fills is the
/// path with <c>_</c> for each <c>.</c>, <c>layer1_0_conv1</c>, the name a C# field can have and the name Prune's
/// residual blocks give their layers (torchvision's ResNet: <c>conv1</c>, <c>bn1</c>, <c>layer2_0_downsample_0</c>,
/// <c>fc</c>). Tensors keep PyTorch's names and layouts (<c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c>); <c>num_batches_tracked</c> is not used.
/// </summary>
internal static class CheckpointWeightMap
{
    /// <summary>
    /// The checkpoint's tensors for the model's layers: every parameter and buffer of every layer, or with
    /// <paramref name="includeTop"/> false of the layers before the model's first Dense layer (the head keeps its
    /// fresh weights, and the checkpoint's keys for layers the model does not have are ignored).
    /// </summary>
    /// <exception cref="PretrainedWeightsException">The file is not a checkpoint, or a layer's tensor is missing or of another shape.</exception>
    public static PretrainedWeights Map(string path, Model model, bool includeTop)
    {
        var state = Read(path);
        try
        {
            var byLayer = state.GroupBy(e => LayerName(e.Key), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var spec = model.Spec;
            var backbone = includeTop ? spec.Layers : spec.Layers.TakeWhile(l => l is not DenseSpec).ToList();
            if (includeTop && byLayer.Keys.FirstOrDefault(name => !spec.Layers.Any(l => l.Name == name)) is { } unknown)
            {
                throw Mismatch(path, spec, $"the checkpoint holds '{byLayer[unknown][0].Key}', and the model has no layer {unknown}. To load only the layers the model has, declare [Pretrained(..., IncludeTop = false)].");
            }
            var tensors = new List<LoadedTensor>();
            var loaded = new List<string>();
            foreach (var layerSpec in backbone)
            {
                var layer = model.Layers.First(l => l.Spec.Name == layerSpec.Name);
                var wanted = PretrainedWeights.StateOf(layer).ToList();
                if (wanted.Count == 0) continue;
                var entries = byLayer.GetValueOrDefault(layerSpec.Name) ?? [];
                foreach (var (name, target) in wanted)
                {
                    var entry = entries.FirstOrDefault(e => TensorName(e.Key) == name);
                    if (entry.Value is null)
                        throw Mismatch(path, spec, $"layer {layerSpec.Name} ({layerSpec.Kind}) needs its {name}, and the checkpoint has no key for it: a key names its layer by module path, '.' read as '_' ('layer1.0.conv1.weight' fills layer1_0_conv1's weight)"
                            + (entries.Count == 0 ? ", and no key names this layer." : $"; it has {string.Join(", ", entries.Select(e => $"'{e.Key}'"))} for this layer."));
                    using var values = entry.Value.to_type(ScalarType.Float32).contiguous();
                    tensors.Add(new LoadedTensor(layerSpec.Name, name, values.shape, values.data<float>().ToArray(), $"'{entry.Key}'"));
                }
                loaded.Add(layerSpec.Name);
            }
            if (loaded.Count == 0) throw Mismatch(path, spec, "none of the model's layers before its head has weights to load.");
            return new PretrainedWeights(tensors, loaded);
        }
        finally
        {
            foreach (var tensor in state.Values) tensor.Dispose();
        }
    }

    /// <summary>The layer a key fills: its module path with <c>_</c> for <c>.</c>.</summary>
    internal static string LayerName(string key) => key.LastIndexOf('.') is var dot and > 0 ? key[..dot].Replace('.', '_') : key;

    private static string TensorName(string key) => key[(key.LastIndexOf('.') + 1)..];

    /// <summary>The state_dict's tensors by key, <c>num_batches_tracked</c> left out.</summary>
    private static Dictionary<string, Tensor> Read(string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is InvalidDataException or NotImplementedException or InvalidCastException or IOException or InvalidOperationException
            or Razorvine.Pickle.PickleException)
        {
            throw new PretrainedWeightsException(PretrainedProblem.Unreadable,
                $"{path} is not a readable PyTorch checkpoint (a state_dict saved with torch.save): {e.Message}", e);
        }
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry is { Key: string key, Value: Tensor tensor } && !key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)) state[key] = tensor;
            else (entry.Value as IDisposable)?.Dispose();
        }
        return state;
    }

    private static PretrainedWeightsException Mismatch(string path, ModelSpec spec, string what) =>
        new(PretrainedProblem.DoesNotFit, $"The pretrained file {path} does not fit {spec.Name}: {what}");
}
