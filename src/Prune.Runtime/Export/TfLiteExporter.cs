using System.Text;

namespace Prune.Export;

/// <summary>
/// Writes a model as a <c>.tflite</c> file that Google's LiteRT runs: NHWC input <c>[1, H, W, C]</c> (or <c>[1, F]</c>),
/// a <c>serving_default</c> signature with input <c>input</c> and output <c>output</c>, float or full-integer int8,
/// pruned weights dense or sparse. See docs/tflite.md.
/// </summary>
public static class TfLiteExporter
{
    /// <summary>Metadata entry holding Prune's version.</summary>
    public const string VersionMetadata = "prune_version";

    /// <summary>Metadata entry holding per-layer sparsity as JSON: <c>{"layer": {"zeros": n, "total": m}}</c>.</summary>
    public const string SparsityMetadata = "prune_sparsity";

    /// <summary>Metadata entry holding the model's namespace-qualified class name.</summary>
    public const string ClassMetadata = "prune_model";

    /// <summary>The <c>.tflite</c> bytes of <paramref name="model"/> (its weights as they are; pruning masks are ignored).</summary>
    /// <exception cref="ExportException">A layer has no TFLite mapping, or the options are incomplete.</exception>
    public static byte[] Export(Model model, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var ops = ModelLowering.Lower(model);
        ActivationRanges? ranges = null;
        if (options.Int8)
        {
            if (options.RepresentativeInputs is not { } samples || samples.shape.Length == 0 || samples.shape[0] == 0)
                throw new ExportException($"Model '{model.Spec.Name}': int8 export needs ExportOptions.RepresentativeInputs (e.g. 200–500 training samples).");
            var expected = model.Spec.InputShape.WithBatch(samples.shape[0]);
            if (!samples.shape.SequenceEqual(expected))
                throw new ExportException($"Model '{model.Spec.Name}': RepresentativeInputs has shape [{string.Join(", ", samples.shape)}]; the model takes [{string.Join(", ", expected)}].");
            ranges = ActivationRanges.Measure(model, samples);
        }
        var graph = GraphBuilder.Build(model.Spec, ops, options, ranges);
        graph.Description = ModelMetadata.Description(model, options);
        foreach (var (name, value) in ModelMetadata.Entries(model, options))
            graph.Metadata.Add(new(name, Encoding.UTF8.GetBytes(value)));
        return TfLiteWriter.Write(graph);
    }

    /// <summary>Writes <see cref="Export"/>'s bytes to <paramref name="path"/> atomically: a temporary file in the same directory, then a rename.</summary>
    public static void ExportToFile(Model model, string path, ExportOptions options) => AtomicFile.Write(path, Export(model, options));
}
