namespace Prune;

/// <summary>
/// Starts the model from pretrained weights: an ONNX model (its tensors mapped to the declared layers by the graph's
/// structure, checked by shape) or a PyTorch checkpoint (a <c>state_dict</c>, mapped by name: <c>layer1.0.conv1.weight</c>
/// fills the layer <c>layer1_0_conv1</c>). The build loads them before training the baseline; a file that is missing,
/// unreadable or does not fit the declaration stops it with an error naming the file (and the layer and both shapes).
/// </summary>
/// <example>
/// <code>
/// [Model(3, 32, 32)]
/// [Pretrained("ResNet18Onnx/ResNet18.onnx", IncludeTop = false, FreezeEpochs = 1)]
/// public partial class Transfer { ... }
/// </code>
/// </example>
/// <param name="path">The file, relative to the project folder, or to the folder the <c>PrunePretrainedDir</c> property
/// names (a package's folder in the NuGet cache, for example).</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PretrainedAttribute(string path) : Attribute
{
    /// <summary>The ONNX model or PyTorch checkpoint.</summary>
    public string Path { get; } = path;

    /// <summary>Whether the file provides the model's head too (Keras's <c>include_top</c>). False loads only the
    /// backbone: the layers before the model's first Dense layer, or up to where the file's graph ends; the head
    /// starts freshly initialized. True by default.</summary>
    public bool IncludeTop { get; set; } = true;

    /// <summary>Baseline epochs during which the loaded layers are frozen (their weights and BatchNorm statistics do
    /// not change), so the fresh head learns first; then every layer trains. 0 by default.</summary>
    public int FreezeEpochs { get; set; }
}
