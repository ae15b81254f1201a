using Prune.Export;
using Prune.Export.Onnx;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Pipeline;

/// <summary>The exported files of a pruned model, in memory until the pipeline has checked them.</summary>
/// <param name="Float">The float file as written: each weight in the smallest layout LiteRT runs (or dense, as the request says).</param>
/// <param name="FloatDense">The same model with every weight stored dense: the size comparison's reference.</param>
/// <param name="Int8">The full-integer file, or null when int8 export is off.</param>
/// <param name="Onnx">The float .onnx file (from the same lowered ops), or null when ONNX export is off.</param>
internal sealed record ExportedFiles(byte[] Float, byte[] FloatDense, byte[]? Int8, byte[]? Onnx)
{
    /// <summary>Calibration samples for int8: TFLite's converter guide suggests a few hundred.</summary>
    private const int RepresentativeSamples = 500;

    /// <summary>Exports the untrained model and discards it: a layer that cannot be exported fails the build in a
    /// second, before minutes of training.</summary>
    public static void CheckExportable(Model model) => Baseline(model);

    /// <summary>The trained baseline as a dense float file: the reference of the report's size table.</summary>
    public static byte[] Baseline(Model model) =>
        Guarded(model.Spec, () => TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense }));

    public static ExportedFiles Create(Model model, ModelData data, PipelineRequest request)
    {
        var spec = request.Spec;
        // Every file says how its input must be prepared, so a program that holds only the file can call it.
        var options = new ExportOptions
        {
            Description = $"{spec.Name}, pruned by Prune",
            Metadata = new Dictionary<string, string> { [InputPreprocessing.MetadataName] = data.Preprocessing.ToJson() },
        };
        return Guarded(spec, () =>
        {
            var floatFile = TfLiteExporter.Export(model, options with { Storage = request.WeightStorage });
            var denseFile = TfLiteExporter.Export(model, options with { Storage = WeightStorage.Dense });
            byte[]? int8File = null;
            if (request.Int8)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(RepresentativeSamples, data.Train.Count);
                var representative = data.Train.Features.narrow(0, 0, count);
                int8File = TfLiteExporter.Export(model, options with { Int8 = true, Storage = request.WeightStorage, RepresentativeInputs = representative, Description = options.Description + " (int8)" });
            }
            var onnxFile = request.Onnx ? OnnxExporter.Export(model, options) : null;
            return new ExportedFiles(floatFile, denseFile, int8File, onnxFile);
        });
    }

    /// <summary>Runs an export, turning the exporter's error into the pipeline's, at the layer's declaration.</summary>
    private static T Guarded<T>(ModelSpec spec, Func<T> export)
    {
        try
        {
            return export();
        }
        catch (ExportException e)
        {
            var layer = spec.Layers.FirstOrDefault(l => l.Name == e.LayerName);
            throw new PipelineException(PipelineFailure.ExportFailed, e.Message, layer?.Source ?? spec.Source, e);
        }
    }
}
