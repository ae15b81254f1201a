using System.Globalization;

namespace Prune.Serving.Config;

/// <summary>
/// Reads TensorFlow Serving's configuration files: <c>--model_config_file</c> (a <c>ModelServerConfig</c> with a
/// <c>model_config_list</c>) and <c>--batching_parameters_file</c> (a <c>BatchingParameters</c>). Fields Prune does not use
/// (<c>model_platform</c>, labels, logging) are read and ignored; unknown ones are errors, so a typo is not silently dropped.
/// </summary>
public static class ConfigFiles
{
    /// <summary>The models a <c>ModelServerConfig</c> file lists. Relative base paths are relative to the file.</summary>
    public static IReadOnlyList<ModelSource> ReadModelConfig(string path)
    {
        var fields = TextProto.Parse(ReadText(path), path);
        var list = Single(fields, "model_config_list", path) ?? throw new ConfigException($"{path}: no model_config_list.");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var models = new List<ModelSource>();
        foreach (var config in list.Message!)
        {
            if (config.Name != "config") throw Unknown(path, config);
            string? name = null, basePath = null;
            var policy = VersionPolicy.LatestOne;
            foreach (var field in config.Message ?? throw new ConfigException($"{path}, line {config.Line}: config must be a message."))
            {
                switch (field.Name)
                {
                    case "name": name = field.Scalar; break;
                    case "base_path": basePath = field.Scalar; break;
                    case "model_platform" or "version_labels" or "logging_config": break;
                    case "model_version_policy": policy = ReadPolicy(field, path); break;
                    default: throw Unknown(path, field);
                }
            }
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(basePath))
                throw new ConfigException($"{path}, line {config.Line}: a config needs a name and a base_path.");
            models.Add(new ModelSource(name, Path.GetFullPath(basePath, directory), policy));
        }
        return models;
    }

    /// <summary>A <c>BatchingParameters</c> file: <c>max_batch_size { value: 32 }</c>, <c>batch_timeout_micros { value: 1000 }</c>, …</summary>
    public static BatchingParameters ReadBatchingParameters(string path)
    {
        var parameters = new BatchingParameters();
        foreach (var field in TextProto.Parse(ReadText(path), path))
        {
            var value = field.Message?.SingleOrDefault(f => f.Name == "value")?.Scalar ?? field.Scalar
                ?? throw new ConfigException($"{path}, line {field.Line}: {field.Name} needs a value.");
            parameters = field.Name switch
            {
                "max_batch_size" => parameters with { MaxBatchSize = Positive(value, field, path) },
                "batch_timeout_micros" => parameters with { BatchTimeout = TimeSpan.FromMicroseconds(NonNegative(value, field, path)) },
                "max_enqueued_batches" => parameters with { MaxEnqueuedBatches = Positive(value, field, path) },
                "num_batch_threads" => parameters with { NumBatchThreads = Positive(value, field, path) },
                "thread_pool_name" or "pad_variable_length_inputs" or "allowed_batch_sizes" or "enable_large_batch_splitting" => parameters,
                _ => throw Unknown(path, field),
            };
        }
        return parameters;
    }

    private static VersionPolicy ReadPolicy(TextProtoField field, string path)
    {
        var choice = field.Message?.SingleOrDefault() ?? throw new ConfigException($"{path}, line {field.Line}: model_version_policy needs one of latest, all, specific.");
        return choice.Name switch
        {
            "all" => VersionPolicy.All,
            "latest" => new VersionPolicy(choice.Message?.SingleOrDefault(f => f.Name == "num_versions") is { } n ? Positive(n.Scalar ?? "", n, path) : 1),
            "specific" => new VersionPolicy(null, (choice.Message ?? []).Where(f => f.Name == "versions")
                .Select(f => (long)NonNegative(f.Scalar ?? "", f, path)).ToHashSet()),
            _ => throw Unknown(path, choice),
        };
    }

    private static TextProtoField? Single(IReadOnlyList<TextProtoField> fields, string name, string path)
    {
        foreach (var field in fields.Where(f => f.Name != name)) throw Unknown(path, field);
        return fields.SingleOrDefault();
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot be read ({e.Message}).");
        }
    }

    private static int Positive(string value, TextProtoField field, string path) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ConfigException($"{path}, line {field.Line}: {field.Name} must be a whole number above 0, not '{value}'.");

    private static long NonNegative(string value, TextProtoField field, string path) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new ConfigException($"{path}, line {field.Line}: {field.Name} must be a whole number of at least 0, not '{value}'.");

    private static ConfigException Unknown(string path, TextProtoField field) => new($"{path}, line {field.Line}: unknown field '{field.Name}'.");
}
