using Prune.Export;
using Prune.Specs;
using TorchSharp;

namespace Prune.Pipeline;

/// <summary>Everything the pipeline needs to turn one declared model into its pruned artifacts.</summary>
internal sealed record PipelineRequest
{
    /// <summary>The model as declared.</summary>
    public required ModelSpec Spec { get; init; }

    /// <summary>Builds a fresh, untrained instance of the model (the generated constructor).</summary>
    public required Func<Model> CreateModel { get; init; }

    /// <summary>Where the data comes from.</summary>
    public required DataSource Data { get; init; }

    /// <summary>Where the .tflite files and reports go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Where intermediate state goes: the cached baseline and the staging folder (under obj/).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Whether to export an int8-quantized file too.</summary>
    public bool Int8 { get; init; } = true;

    /// <summary>Whether to export an .onnx file too (checked in ONNX Runtime whenever it is written).</summary>
    public bool Onnx { get; init; }

    /// <summary>How the .tflite files store weights: the smallest layout LiteRT runs per tensor, or all dense.</summary>
    public WeightStorage WeightStorage { get; init; } = WeightStorage.Auto;

    /// <summary>Replaces the declared baseline and fine-tuning epochs, for quick builds; null keeps them.</summary>
    public int? EpochsOverride { get; init; }

    /// <summary>Trains on only the first this many training samples, for quick builds and tests; null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Where training runs (PruneDevice): the CPU, or CUDA.</summary>
    public DeviceType Device { get; init; } = DeviceType.CPU;

    /// <summary>Whether to run every exported file in LiteRT and compare it with the TorchSharp model.</summary>
    public bool VerifyWithLiteRt { get; init; } = true;

    /// <summary>The folder a relative <see cref="PretrainedAttribute"/> path starts from (the project's, or PrunePretrainedDir);
    /// null for the current directory.</summary>
    public string? PretrainedDirectory { get; init; }

    /// <summary>Draws the report's charts (PNG files beside it); null writes none.</summary>
    public IChartRenderer? Charts { get; init; }
}

/// <summary>Where training and test data come from.</summary>
/// <param name="Location"><c>mnist</c> (fetched into Prune's cache), a folder with MNIST's IDX files, or a CSV file.</param>
/// <param name="LabelColumn">The label column of a .csv file.</param>
internal sealed record DataSource(string Location, string? LabelColumn = null)
{
    /// <summary>Whether this names the cached MNIST rather than a path.</summary>
    public bool IsCachedMnist => string.Equals(Location, "mnist", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this names a file, which is read as CSV: the format follows what the path is, not its extension
    /// (a folder holds MNIST's IDX files; a CSV file may be named <c>.txt</c>).</summary>
    public bool IsCsv => !IsCachedMnist && File.Exists(Location);
}
