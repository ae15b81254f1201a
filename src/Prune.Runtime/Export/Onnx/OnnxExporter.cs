using Google.Protobuf;
using Onnx;

namespace Prune.Export.Onnx;

/// <summary>
/// Writes a model as an <c>.onnx</c> file that ONNX Runtime runs, from the same lowered ops as the <c>.tflite</c> file:
/// input <c>input</c> of shape <c>[batch, C, H, W]</c> (or <c>[batch, F]</c>) with a symbolic batch dimension, output
/// <c>probabilities</c> (a model that ends in logits gets its softmax, or its sigmoid for one logit), weights dense,
/// and Prune's metadata (version, model class, sparsity per layer) in <c>metadata_props</c>. See docs/onnx.md.
/// </summary>
internal static class OnnxExporter
{
    /// <summary>The graph's input.</summary>
    public const string InputName = "input";

    /// <summary>The graph's output: class probabilities, whatever the model's last activation.</summary>
    public const string OutputName = "probabilities";

    /// <summary>The symbolic batch dimension of the input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The ONNX operator set the file imports (ONNX 1.12, 2022; every ONNX Runtime since 1.12 runs it).</summary>
    public const int OpsetVersion = 17;

    /// <summary>The IR version that goes with <see cref="OpsetVersion"/>.</summary>
    private const long IrVersion = 8;

    /// <summary>The <c>.onnx</c> bytes of <paramref name="model"/> (its weights as they are; pruning masks are ignored).
    /// Of <paramref name="options"/>, the description and the metadata apply; weights are always stored dense.</summary>
    /// <exception cref="ExportException">A layer has no mapping, or int8 was asked for.</exception>
    public static byte[] Export(Model model, ExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ExportOptions();
        if (options.Int8) throw new ExportException($"Model '{model.Spec.Name}': Prune writes float .onnx files only; int8 is .tflite's.");
        var file = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Prune",
            ProducerVersion = ModelMetadata.PruneVersion,
            ModelVersion = 1,
            DocString = ModelMetadata.Description(model, options),
            Graph = OnnxGraphWriter.Write(model.Spec, ModelLowering.Lower(model)),
        };
        file.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in ModelMetadata.Entries(model, options))
            file.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return file.ToByteArray();
    }

    /// <summary>Writes <see cref="Export"/>'s bytes to <paramref name="path"/> atomically: a temporary file in the same directory, then a rename.</summary>
    public static void ExportToFile(Model model, string path, ExportOptions? options = null) => AtomicFile.Write(path, Export(model, options));
}
