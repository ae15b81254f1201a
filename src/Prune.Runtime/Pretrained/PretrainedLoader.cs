using Prune.Specs;

namespace Prune.Pretrained;

/// <summary>
/// Loads the weights a model declares with <see cref="PretrainedAttribute"/> into a freshly built instance: an ONNX
/// model (mapped by graph structure, <see cref="OnnxWeightMap"/>) or a PyTorch checkpoint (mapped by name,
/// <see cref="CheckpointWeightMap"/>), told apart by content, not extension.
/// </summary>
internal static class PretrainedLoader
{
    /// <summary>The file <paramref name="pretrained"/> names, resolved against <paramref name="baseDirectory"/> when relative.</summary>
    public static string PathOf(PretrainedSpec pretrained, string baseDirectory) => Path.GetFullPath(pretrained.Path, baseDirectory);

    /// <summary>Loads the file into <paramref name="model"/>; returns what it loaded.</summary>
    /// <exception cref="PretrainedWeightsException">The file is missing, unreadable, or does not fit the model.</exception>
    public static PretrainedWeights Load(Model model, PretrainedSpec pretrained, string baseDirectory)
    {
        var path = PathOf(pretrained, baseDirectory);
        if (!File.Exists(path))
        {
            throw new PretrainedWeightsException(PretrainedProblem.NotFound,
                $"The pretrained weights of {model.Spec.Name} were not found: {path} (from [Pretrained(\"{pretrained.Path}\")], relative to {baseDirectory}).");
        }
        var weights = IsZip(path)
            ? CheckpointWeightMap.Map(path, model, pretrained.IncludeTop)
            : OnnxWeightMap.Map(OnnxFile.Read(path), model.Spec, pretrained.IncludeTop);
        weights.CopyInto(model, path);
        return weights;
    }

    /// <summary>Whether the file starts like a zip archive, as every checkpoint torch.save writes since PyTorch 1.6 does.</summary>
    private static bool IsZip(string path)
    {
        Span<byte> start = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4 && start.SequenceEqual("PK\u0003\u0004"u8);
    }
}
