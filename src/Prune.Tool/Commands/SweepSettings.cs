using System.ComponentModel;
using Spectre.Console.Cli;

namespace Prune.Tool.Commands;

/// <summary><c>dotnet prune sweep</c>'s options.</summary>
internal sealed class SweepSettings : CommandSettings
{
    [CommandOption("-p|--project <PROJECT>")]
    [Description("The project (file or folder) declaring the model; the current folder by default.")]
    public string? Project { get; init; }

    [CommandOption("-m|--model <MODEL>")]
    [Description("The [Model] class to sweep (class name, optionally namespace-qualified).")]
    public string? Model { get; init; }

    [CommandOption("-t|--targets <TARGETS>")]
    [Description("The target sparsities, comma-separated, each in [0, 1).")]
    [DefaultValue("0.5,0.6,0.7,0.8,0.9,0.95")]
    public string Targets { get; init; } = "0.5,0.6,0.7,0.8,0.9,0.95";

    [CommandOption("-o|--output <FOLDER>")]
    [Description("Where sweep.md, sweep.json, sweep.csv, sweep.png and every point's files go; sweep/<MODEL> by default.")]
    public string? Output { get; init; }

    [CommandOption("-c|--configuration <CONFIGURATION>")]
    [Description("The configuration to build.")]
    [DefaultValue("Debug")]
    public string Configuration { get; init; } = "Debug";

    [CommandOption("--no-build")]
    [Description("Use the project as last built.")]
    public bool NoBuild { get; init; }

    [CommandOption("--epochs <N>")]
    [Description("Overrides the model's baseline and fine-tuning epochs (as PruneEpochs does).")]
    public int? Epochs { get; init; }

    [CommandOption("--train-limit <N>")]
    [Description("Trains on the first N samples only (as PruneTrainLimit does).")]
    public int? TrainLimit { get; init; }
}
