using System.Reflection;
using System.Text.Json;
using Prune.Pruning;

namespace Prune.Export;

/// <summary>
/// What every exported file says about the model, whatever its format: Prune's version, the sparsity of each weight
/// layer, the model's class, and the caller's extra entries. The .tflite writer stores them as metadata buffers,
/// the .onnx writer as <c>metadata_props</c>.
/// </summary>
internal static class ModelMetadata
{
    public static IReadOnlyList<KeyValuePair<string, string>> Entries(Model model, ExportOptions options)
    {
        var entries = new List<KeyValuePair<string, string>>
        {
            new(TfLiteExporter.VersionMetadata, PruneVersion),
            new(TfLiteExporter.ClassMetadata, model.Spec.TypeName),
            new(TfLiteExporter.SparsityMetadata, SparsityJson(model)),
        };
        foreach (var (name, value) in options.Metadata ?? new Dictionary<string, string>())
        {
            if (entries.Any(e => e.Key == name)) throw new ExportException($"Metadata entry '{name}' is Prune's own; choose another name.");
            entries.Add(new(name, value));
        }
        return entries;
    }

    /// <summary>The file's description: <see cref="ExportOptions.Description"/>, or the model's name.</summary>
    public static string Description(Model model, ExportOptions options) => options.Description ?? $"{model.Spec.Name}, exported by Prune";

    public static string PruneVersion =>
        typeof(ModelMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelMetadata).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static string SparsityJson(Model model) => JsonSerializer.Serialize(
        new SortedDictionary<string, Dictionary<string, long>>(
            SparsityReport.Of(model).ToDictionary(l => l.Layer, l => new Dictionary<string, long> { ["zeros"] = l.Zeros, ["total"] = l.Parameters }),
            StringComparer.Ordinal));
}
