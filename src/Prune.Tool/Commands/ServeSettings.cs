using System.ComponentModel;
using Prune.Serving.Config;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Prune.Tool.Commands;

/// <summary>
/// <c>dotnet prune serve</c>'s flags: TensorFlow Serving's own names and defaults (<c>tensorflow_model_server --help</c>),
/// written <c>--flag=value</c> or <c>--flag value</c>, plus two of Prune's for what TensorFlow Serving does not let you
/// choose: the bind address and the body size limit.
/// </summary>
internal sealed class ServeSettings : CommandSettings
{
    [CommandOption("--rest_api_port <PORT>")]
    [Description("Port of the REST API.")]
    [DefaultValue(8501)]
    public int RestApiPort { get; init; } = 8501;

    [CommandOption("--rest_api_host <HOST>")]
    [Description("Address to bind (Prune's flag): localhost by default; 0.0.0.0 for every interface.")]
    [DefaultValue("localhost")]
    public string RestApiHost { get; init; } = "localhost";

    [CommandOption("--model_name <NAME>")]
    [Description("Name of the model in URLs (/v1/models/NAME), with --model_base_path.")]
    [DefaultValue("default")]
    public string ModelName { get; init; } = "default";

    [CommandOption("--model_base_path <PATH>")]
    [Description("Folder of versions (PATH/1/model.onnx, PATH/2/model.onnx, ...), or one .onnx file served as version 1.")]
    public string? ModelBasePath { get; init; }

    [CommandOption("--model_config_file <FILE>")]
    [Description("Several models: a ModelServerConfig text file (model_config_list { config { name: '...' base_path: '...' } ... }).")]
    public string? ModelConfigFile { get; init; }

    [CommandOption("--enable_batching")]
    [Description("Merge concurrent requests into one ONNX Runtime call.")]
    public bool EnableBatching { get; init; }

    [CommandOption("--batching_parameters_file <FILE>")]
    [Description("BatchingParameters text file: max_batch_size, batch_timeout_micros, max_enqueued_batches, num_batch_threads.")]
    public string? BatchingParametersFile { get; init; }

    [CommandOption("--file_system_poll_wait_seconds <SECONDS>")]
    [Description("Seconds between looks for new model versions; 0 looks once, at start.")]
    [DefaultValue(1)]
    public int FileSystemPollWaitSeconds { get; init; } = 1;

    [CommandOption("--rest_api_timeout_in_ms <MS>")]
    [Description("Time a predict request may take before it is answered 504.")]
    [DefaultValue(30000)]
    public int RestApiTimeoutInMs { get; init; } = 30000;

    [CommandOption("--rest_api_max_request_bytes <BYTES>")]
    [Description("Largest request body (Prune's flag); larger ones are answered 413.")]
    [DefaultValue(16777216L)]
    public long RestApiMaxRequestBytes { get; init; } = 16 * 1024 * 1024;

    public override ValidationResult Validate()
    {
        if ((ModelBasePath is null) == (ModelConfigFile is null))
            return ValidationResult.Error("Give either --model_base_path (with --model_name) or --model_config_file.");
        if (RestApiPort is < 1 or > 65535) return ValidationResult.Error($"--rest_api_port must be 1-65535, not {RestApiPort}: the REST API is all this server speaks.");
        if (FileSystemPollWaitSeconds < 0) return ValidationResult.Error("--file_system_poll_wait_seconds must be 0 or more.");
        if (RestApiTimeoutInMs < 1) return ValidationResult.Error("--rest_api_timeout_in_ms must be at least 1.");
        if (RestApiMaxRequestBytes < 1) return ValidationResult.Error("--rest_api_max_request_bytes must be at least 1.");
        if (BatchingParametersFile is not null && !EnableBatching) return ValidationResult.Error("--batching_parameters_file needs --enable_batching.");
        return ValidationResult.Success();
    }

    /// <summary>The server's options; reads the configuration files.</summary>
    /// <exception cref="ConfigException">A file cannot be read or holds something unusable.</exception>
    public ServingOptions ToOptions() => new()
    {
        Models = ModelConfigFile is { } file
            ? ConfigFiles.ReadModelConfig(file)
            : [new ModelSource(ModelName, Path.GetFullPath(ModelBasePath!), VersionPolicy.LatestOne)],
        EnableBatching = EnableBatching,
        Batching = BatchingParametersFile is { } batching ? ConfigFiles.ReadBatchingParameters(batching) : new BatchingParameters(),
        FileSystemPollWaitSeconds = FileSystemPollWaitSeconds,
        RequestTimeout = TimeSpan.FromMilliseconds(RestApiTimeoutInMs),
        MaxRequestBytes = RestApiMaxRequestBytes,
    };
}
