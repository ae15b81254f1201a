using System.Text.Json;
using Prune.Export;
using Prune.Pruning;
using static TorchSharp.torch;

namespace Prune.Pipeline;

/// <summary>The .tflite files of a pruned model, in memory until the pipeline has checked them.</summary>
/// <param name="Float">The float file as written: pruned weights stored sparse wherever that is smaller.</param>
/// <param name="FloatDense">The same model with every weight stored dense: the size comparison's reference.</param>
/// <param name="Int8">The full-integer file, or null when int8 export is off.</param>
internal sealed record ExportedFiles(byte[] Float, byte[] FloatDense, byte[]? Int8)
{
    /// <summary>Calibration samples for int8: TFLite's converter guide suggests a few hundred.</summary>
    private const int RepresentativeSamples = 500;

    public static ExportedFiles Create(Model model, ModelData data, PipelineRequest request)
    {
        var spec = request.Spec;
        var metadata = new Dictionary<string, string>
        {
            ["prune_model"] = spec.TypeName,
            ["prune_sparsity"] = JsonSerializer.Serialize(SparsityReport.Of(model).ToDictionary(l => l.Layer, l => new { l.Zeros, l.Parameters })),
        };
        var description = $"{spec.Name}, pruned by Prune";
        try
        {
            var floatFile = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Auto, Description = description, Metadata = metadata });
            var denseFile = TfLiteExporter.Export(model, new ExportOptions { Storage = WeightStorage.Dense, Description = description, Metadata = metadata });
            byte[]? int8File = null;
            if (request.Int8)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(RepresentativeSamples, data.Train.Count);
                var representative = data.Train.Features.narrow(0, 0, count);
                int8File = TfLiteExporter.Export(model, new ExportOptions { Int8 = true, RepresentativeInputs = representative, Description = description + " (int8)", Metadata = metadata });
            }
            return new ExportedFiles(floatFile, denseFile, int8File);
        }
        catch (ExportException e)
        {
            var layer = spec.Layers.FirstOrDefault(l => l.Name == e.LayerName);
            throw new PipelineException(PipelineFailure.ExportFailed, e.Message, layer?.Source ?? spec.Source, e);
        }
    }
}
