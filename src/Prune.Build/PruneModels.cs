using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Prune.Build.Protocol;

namespace Prune.Build;

/// <summary>
/// Trains, prunes, strips and exports the project's [Model] classes. The work runs in a child process
/// (<c>dotnet exec --depsfile App.deps.json --runtimeconfig App.runtimeconfig.json Prune.Host.dll ...</c>),
/// so MSBuild never loads user code or TorchSharp; the child's protocol lines become MSBuild errors,
/// warnings and messages. Ctrl+C kills the child (ToolTask's cancellation).
/// </summary>
public sealed class PruneModels : ToolTask
{
    private readonly List<ITaskItem> _writtenFiles = [];
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The project's built assembly, in its output directory.</summary>
    [Required]
    public string Assembly { get; set; } = "";

    /// <summary>The project's deps.json, beside <see cref="Assembly"/>.</summary>
    [Required]
    public string DepsFile { get; set; } = "";

    /// <summary>The project's runtimeconfig.json, beside <see cref="Assembly"/>.</summary>
    [Required]
    public string RuntimeConfig { get; set; } = "";

    /// <summary>The project's folder: relative data paths in <see cref="Models"/> metadata are relative to it.</summary>
    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>The folder relative [Pretrained] paths start from (PrunePretrainedDir, or the project's folder).</summary>
    public string PretrainedDirectory { get; set; } = "";

    /// <summary>Prune.Host.dll: the program that runs the pipeline.</summary>
    [Required]
    public string HostAssembly { get; set; } = "";

    /// <summary>Where the .tflite files and reports go.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>Where intermediate state goes (the cached baseline, temporary files), under obj/.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = "";

    /// <summary>The models to build (class names, optionally namespace-qualified); empty for every [Model] class.
    /// Metadata <c>Data</c>, <c>LabelColumn</c> and <c>Int8</c> override the properties below for one model.</summary>
    public ITaskItem[] Models { get; set; } = [];

    /// <summary><c>mnist</c> (fetched into Prune's cache) or a path to a .csv file or an MNIST folder.</summary>
    public string Data { get; set; } = "mnist";

    /// <summary>The label column of CSV data.</summary>
    public string LabelColumn { get; set; } = "";

    /// <summary>Also export an int8-quantized .tflite.</summary>
    public bool Int8 { get; set; } = true;

    /// <summary>Also export a float .onnx file (checked in ONNX Runtime).</summary>
    public bool Onnx { get; set; }

    /// <summary><c>auto</c> (each weight in the smallest layout LiteRT runs) or <c>dense</c> (every weight dense).</summary>
    public string WeightStorage { get; set; } = "auto";

    /// <summary>Overrides the model's baseline and fine-tuning epochs (quick builds); empty keeps the model's.</summary>
    public string Epochs { get; set; } = "";

    /// <summary>Uses only the first N training samples (quick builds, tests); empty for all.</summary>
    public string TrainLimit { get; set; } = "";

    /// <summary>Where training runs: cpu or cuda (checked by the targets first).</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Checks every exported file in LiteRT when Node.js is available.</summary>
    public bool VerifyWithLiteRt { get; set; } = true;

    /// <summary>The previous build's artifacts, one path per line, which the host deletes once it has found the models and
    /// before it builds one; then the artifacts there are after the run: the files the pipeline wrote, whether or not it
    /// succeeded for every model, and the previous ones the host did not get to delete. The next build (and Clean) then
    /// knows every artifact, including those of models finished before a failure.</summary>
    [Required]
    public string ManifestFile { get; set; } = "";

    /// <summary>The files the pipeline wrote, for FileWrites.</summary>
    [Output]
    public ITaskItem[] WrittenFiles => [.. _writtenFiles];

    /// <summary>Ctrl+C: stops waiting for another build, or kills the child process (ToolTask's cancellation).</summary>
    public override void Cancel()
    {
        _cancellation.Cancel();
        base.Cancel();
    }

    /// <summary>
    /// Runs the host while holding the project's <see cref="BuildLock"/>, so that two builds of the project never share
    /// obj/.../prune/ or the artifacts at once (the host deletes the previous artifacts under the lock).
    /// </summary>
    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        using var buildLock = AcquireLock();
        if (buildLock is null) return -1;
        var previous = ArtifactManifest.Read(ManifestFile);
        try
        {
            return base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        }
        finally
        {
            var remaining = previous.Where(File.Exists).Concat(_writtenFiles.Select(f => f.ItemSpec)).Distinct(StringComparer.Ordinal);
            ArtifactManifest.Write(ManifestFile, remaining);
        }
    }

    /// <summary>The project's build lock; null when cancelled while waiting, or after PRB016 when obj/ cannot hold it.</summary>
    private BuildLock? AcquireLock()
    {
        try
        {
            return BuildLock.Acquire(IntermediateDirectory, message => Log.LogMessage(MessageImportance.High, message), _cancellation.Token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogError(null, BuildErrorCodes.FolderNotWritable, null, null, 0, 0, 0, 0,
                $"Prune cannot write its build lock in the folder {IntermediateDirectory}: {e.Message} Make the project's obj/ folder writable.");
            return null;
        }
    }

    /// <inheritdoc/>
    protected override string ToolName => "dotnet";

    /// <inheritdoc/>
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Low;

    /// <inheritdoc/>
    protected override string GenerateFullPathToTool() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <inheritdoc/>
    protected override bool ValidateParameters()
    {
        // The Prune* properties were checked before anything ran (_PruneValidateSettings): here, what the build output lacks.
        foreach (var (file, what) in new[] { (DepsFile, "deps.json"), (RuntimeConfig, "runtimeconfig.json") })
        {
            if (!File.Exists(file))
            {
                Log.LogError(null, BuildErrorCodes.MissingRuntimeFiles, null, null, 0, 0, 0, 0,
                    $"Prune runs the models from the build output, which lacks its {what} ({file}). Set GenerateRuntimeConfigurationFiles=true in the project (Prune.Runtime's props do so unless the project turns it off).");
            }
        }
        if (!File.Exists(HostAssembly))
        {
            Log.LogError(null, BuildErrorCodes.InternalError, null, null, 0, 0, 0, 0,
                $"Prune's pipeline host is missing: {HostAssembly}. Rebuild Prune (or restore its package).");
        }
        return !Log.HasLoggedErrors;
    }

    /// <inheritdoc/>
    protected override string GenerateCommandLineCommands()
    {
        var args = new CommandLineBuilder();
        args.AppendSwitch("exec");
        args.AppendSwitchIfNotNull("--depsfile ", DepsFile);
        args.AppendSwitchIfNotNull("--runtimeconfig ", RuntimeConfig);
        args.AppendFileNameIfNotNull(HostAssembly);
        args.AppendSwitchIfNotNull(HostArguments.Assembly + " ", Assembly);
        args.AppendSwitchIfNotNull(HostArguments.Output + " ", OutputDirectory);
        args.AppendSwitchIfNotNull(HostArguments.Intermediate + " ", IntermediateDirectory);
        args.AppendSwitchIfNotNull(HostArguments.Data + " ", Data);
        if (LabelColumn.Length > 0) args.AppendSwitchIfNotNull(HostArguments.LabelColumn + " ", LabelColumn);
        args.AppendSwitchIfNotNull(HostArguments.Int8 + " ", Int8 ? "true" : "false");
        args.AppendSwitchIfNotNull(HostArguments.Onnx + " ", Onnx ? "true" : "false");
        args.AppendSwitchIfNotNull(HostArguments.WeightStorage + " ", WeightStorage.ToLowerInvariant());
        if (Epochs.Length > 0) args.AppendSwitchIfNotNull(HostArguments.Epochs + " ", Epochs);
        if (TrainLimit.Length > 0) args.AppendSwitchIfNotNull(HostArguments.TrainLimit + " ", TrainLimit);
        args.AppendSwitchIfNotNull(HostArguments.Device + " ", Device);
        args.AppendSwitchIfNotNull(HostArguments.Verify + " ", VerifyWithLiteRt ? "true" : "false");
        args.AppendSwitchIfNotNull(HostArguments.PretrainedDirectory + " ", PretrainedDirectory.Length > 0 ? PretrainedDirectory : ProjectDirectory);
        args.AppendSwitchIfNotNull(HostArguments.PreviousArtifacts + " ", ManifestFile);
        foreach (var model in Models)
        {
            args.AppendSwitchIfNotNull(HostArguments.Model + " ", ModelArgument(model));
        }
        return args.ToString();
    }

    /// <summary>One model selection as the host reads it: <c>Name[;data=...][;label=...][;int8=...]</c>.</summary>
    private string ModelArgument(ITaskItem model)
    {
        var parts = new List<string> { model.ItemSpec };
        foreach (var (metadata, key) in new[] { ("Data", HostArguments.ModelData), ("LabelColumn", HostArguments.ModelLabelColumn), ("Int8", HostArguments.ModelInt8) })
        {
            var value = model.GetMetadata(metadata);
            if (metadata == "Data" && value.Length > 0 && value != "mnist") value = Path.GetFullPath(value, ProjectDirectory);
            if (value.Length > 0) parts.Add($"{key}={value}");
        }
        return string.Join(";", parts);
    }

    /// <inheritdoc/>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (HostMessage.TryParse(singleLine) is not { } message)
        {
            base.LogEventsFromTextOutput(singleLine, messageImportance);
            return;
        }
        var file = message.File.Length > 0 ? message.File : null;
        switch (message.Kind)
        {
            case HostMessageKind.Error:
                Log.LogError(null, message.Code, null, file, message.Line, message.Column, 0, 0, message.Text);
                break;
            case HostMessageKind.Warning:
                Log.LogWarning(null, message.Code, null, file, message.Line, message.Column, 0, 0, message.Text);
                break;
            case HostMessageKind.Progress:
                Log.LogMessage(MessageImportance.High, message.Text);
                break;
            case HostMessageKind.Info:
                Log.LogMessage(MessageImportance.Normal, message.Text);
                break;
            case HostMessageKind.Output:
                _writtenFiles.Add(new TaskItem(message.Text));
                break;
        }
    }

    /// <inheritdoc/>
    protected override bool HandleTaskExecutionErrors()
    {
        // The host's errors, a folder that cannot be written, or Ctrl+C have said why already.
        if (!Log.HasLoggedErrors && !_cancellation.IsCancellationRequested)
        {
            Log.LogError(null, BuildErrorCodes.HostFailed, null, null, 0, 0, 0, 0,
                $"Prune's pipeline host exited with code {ExitCode} without reporting an error. The detailed build log (-v:d) holds its output.");
        }
        return false;
    }
}
