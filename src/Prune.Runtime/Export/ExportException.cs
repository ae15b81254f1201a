namespace Prune.Export;

/// <summary>A model that cannot be written as a <c>.tflite</c> file; the message names the layer and the reason.</summary>
public sealed class ExportException : Exception
{
    /// <summary>Creates the exception for <paramref name="layerName"/> of kind <paramref name="kind"/>.</summary>
    public ExportException(string layerName, string kind, string reason)
        : base($"Layer '{layerName}' ({kind}): cannot be exported because {reason}.") => LayerName = layerName;

    /// <summary>Creates the exception for a problem that concerns the whole model, not one layer.</summary>
    public ExportException(string message) : base(message) => LayerName = "";

    /// <summary>The layer that cannot be exported; empty when the problem concerns the whole model.</summary>
    public string LayerName { get; }
}
