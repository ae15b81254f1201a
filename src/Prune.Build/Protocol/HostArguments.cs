namespace Prune.Build.Protocol;

/// <summary>
/// The pipeline host's command line, in one place: the PruneModels task writes it and the host reads it (both compile
/// this file, as they do <see cref="BuildErrorCodes"/>). Every option takes one value; <see cref="Model"/> may repeat.
/// </summary>
public static class HostArguments
{
    /// <summary>The user's built assembly, holding the [Model] classes.</summary>
    public const string Assembly = "--assembly";

    /// <summary>The folder the artifacts go to.</summary>
    public const string Output = "--output";

    /// <summary>The project's obj/.../prune/ folder: the build lock, the baseline cache, staging.</summary>
    public const string Intermediate = "--intermediate";

    /// <summary>"mnist", a folder of MNIST's IDX files, or a CSV file.</summary>
    public const string Data = "--data";

    /// <summary>The label column of CSV data.</summary>
    public const string LabelColumn = "--label-column";

    /// <summary>true or false: also write the int8 file.</summary>
    public const string Int8 = "--int8";

    /// <summary>true or false: also write the .onnx file.</summary>
    public const string Onnx = "--onnx";

    /// <summary>auto or dense: how the .tflite files store weights.</summary>
    public const string WeightStorage = "--weight-storage";

    /// <summary>Overrides every model's baseline and fine-tuning epochs.</summary>
    public const string Epochs = "--epochs";

    /// <summary>Trains on the first N samples only.</summary>
    public const string TrainLimit = "--train-limit";

    /// <summary>Where training runs: cpu or cuda.</summary>
    public const string Device = "--device";

    /// <summary>true or false: check the files in LiteRT.</summary>
    public const string Verify = "--verify";

    /// <summary>The folder a relative [Pretrained] path starts from.</summary>
    public const string PretrainedDirectory = "--pretrained-dir";

    /// <summary>One model to build: <c>Name[;data=...][;label=...][;int8=true|false]</c> (keys below); repeated per model.</summary>
    public const string Model = "--model";

    /// <summary>Sparsity targets, <c>0.5,0.7,0.9</c>: instead of building, sweep the one <see cref="Model"/> over them
    /// (written by the dotnet-prune tool's sweep command, not by the task).</summary>
    public const string Sweep = "--sweep";

    /// <summary>The previous build's manifest (its artifacts, one path per line): the host deletes them once it has found
    /// the models to build, before it builds any, so that a model name it does not know deletes nothing.</summary>
    public const string PreviousArtifacts = "--previous-artifacts";

    /// <summary>A model selection's data, overriding <see cref="Data"/>.</summary>
    public const string ModelData = "data";

    /// <summary>A model selection's label column, overriding <see cref="LabelColumn"/>.</summary>
    public const string ModelLabelColumn = "label";

    /// <summary>A model selection's int8 setting, overriding <see cref="Int8"/>.</summary>
    public const string ModelInt8 = "int8";

    /// <summary>Every option the host reads.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Assembly, Output, Intermediate, Data, LabelColumn, Int8, Onnx, WeightStorage, Epochs, TrainLimit, Device, Verify, PretrainedDirectory, Model, Sweep, PreviousArtifacts];
}
