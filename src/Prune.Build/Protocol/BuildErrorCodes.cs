namespace Prune.Build.Protocol;

/// <summary>
/// Every code Prune's build integration reports, in one place (docs/build-errors.md explains each).
/// The MSBuild task and the pipeline host both compile this file, so a code means the same on both sides.
/// </summary>
public static class BuildErrorCodes
{
    /// <summary>The training or test data was not found (a bad path, or MNIST could not be fetched).</summary>
    public const string DataNotFound = "PRB001";

    /// <summary>The data is there but unreadable: a corrupt or truncated file, a bad CSV cell, a missing column.</summary>
    public const string DataInvalid = "PRB002";

    /// <summary>A <c>PruneModel</c> item names no [Model] class of the assembly.</summary>
    public const string ModelNotFound = "PRB003";

    /// <summary>The data does not fit the model (input shape, number of classes).</summary>
    public const string DataDoesNotFitModel = "PRB004";

    /// <summary>Training diverged: the loss became NaN or infinite.</summary>
    public const string TrainingDiverged = "PRB005";

    /// <summary>A layer cannot be exported to .tflite.</summary>
    public const string ExportFailed = "PRB006";

    /// <summary>A Prune MSBuild property or item has a value that cannot be used.</summary>
    public const string InvalidSetting = "PRB007";

    /// <summary>Warning: LiteRT (Node.js) is not available, so the exported files were not checked in it.</summary>
    public const string LiteRtUnavailable = "PRB008";

    /// <summary>LiteRT's results on an exported file disagree with the TorchSharp model beyond tolerance.</summary>
    public const string LiteRtMismatch = "PRB009";

    /// <summary>The pipeline host ended without saying why (a crash of the child process).</summary>
    public const string HostFailed = "PRB010";

    /// <summary>The project's output lacks the files the child process needs (deps.json, runtimeconfig.json).</summary>
    public const string MissingRuntimeFiles = "PRB011";

    /// <summary>The model's pruning settings cannot be applied to its weights at run time.</summary>
    public const string InvalidPruningSettings = "PRB012";

    /// <summary>Warning: fine-tuning ends before a layer's pruning schedule does, so its final sparsity is not reached.</summary>
    public const string ScheduleNotCompleted = "PRB013";

    /// <summary>Warning: the int8 file agrees with the float model on fewer test samples than expected.</summary>
    public const string QuantizationDegraded = "PRB014";

    /// <summary>Warning: the baseline is no more accurate than always answering the most common class; it learned nothing.</summary>
    public const string BaselineLearnedNothing = "PRB015";

    /// <summary>A folder Prune writes to (the output folder, or obj/.../prune/) cannot be written, or an old artifact cannot be replaced.</summary>
    public const string FolderNotWritable = "PRB016";

    /// <summary>ONNX Runtime refuses the exported .onnx file, or its results disagree with the TorchSharp model beyond tolerance.</summary>
    public const string OnnxMismatch = "PRB017";

    /// <summary>The model's spec breaks a rule the generator checks at compile time (a spec written by hand).</summary>
    public const string InvalidSpec = "PRB018";

    /// <summary>The build runs on a platform Prune cannot train on (only Linux x64); raised by the build's targets.</summary>
    public const string UnsupportedPlatform = "PRB019";

    /// <summary>The device PruneDevice names cannot train: CUDA without TorchSharp's CUDA natives or without a GPU, or no libtorch natives at all.</summary>
    public const string DeviceUnavailable = "PRB020";

    /// <summary>The pretrained weights file a model declares ([Pretrained]) is missing, or not a readable ONNX model or PyTorch checkpoint.</summary>
    public const string PretrainedNotReadable = "PRB021";

    /// <summary>The pretrained weights file does not fit the declared model: a layer, a shape, a window or a padding differs.</summary>
    public const string PretrainedDoesNotFit = "PRB022";

    /// <summary>An unexpected failure inside Prune (a bug: please report it with the detailed build log).</summary>
    public const string InternalError = "PRB099";

    /// <summary>TorchSharp's native library could not be patched for an older libstdc++.</summary>
    public const string NativePatchFailed = "PRB100";
}
