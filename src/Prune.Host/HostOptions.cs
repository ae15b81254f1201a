using System.Globalization;
using Prune.Build.Protocol;
using Prune.Export;
using Prune.Training;
using TorchSharp;

namespace Prune.Host;

/// <summary>One <c>--model</c> selection: a class name and the settings that override the build's for it.</summary>
internal sealed record ModelSelection(string Name, string? Data, string? LabelColumn, bool? Int8)
{
    /// <summary>Reads <c>Name[;data=...][;label=...][;int8=true|false]</c>, as the PruneModels task writes it.</summary>
    public static ModelSelection Parse(string text)
    {
        var parts = text.Split(';');
        string? data = null, label = null;
        bool? int8 = null;
        foreach (var part in parts.Skip(1))
        {
            var (key, value) = part.IndexOf('=') is var i and > 0 ? (part[..i], part[(i + 1)..]) : (part, "");
            switch (key)
            {
                case HostArguments.ModelData: data = value; break;
                case HostArguments.ModelLabelColumn: label = value; break;
                case HostArguments.ModelInt8: int8 = HostOptions.ParseBool(HostArguments.ModelInt8, value); break;
                default: throw new HostUsageException($"Unknown model setting '{key}' in '{text}'.");
            }
        }
        return new ModelSelection(parts[0], data, label, int8);
    }
}

/// <summary>The host's command line, as the PruneModels task writes it.</summary>
internal sealed record HostOptions
{
    public required string Assembly { get; init; }
    public required string OutputDirectory { get; init; }
    public required string WorkDirectory { get; init; }
    public string Data { get; init; } = "mnist";
    public string? LabelColumn { get; init; }
    public bool Int8 { get; init; } = true;
    public bool Onnx { get; init; }
    public WeightStorage WeightStorage { get; init; } = WeightStorage.Auto;
    public int? Epochs { get; init; }
    public int? TrainLimit { get; init; }
    public DeviceType Device { get; init; } = DeviceType.CPU;
    public bool Verify { get; init; } = true;
    public string? PretrainedDirectory { get; init; }
    public IReadOnlyList<ModelSelection> Models { get; init; } = [];

    /// <summary>The previous build's manifest, whose files go before the first model is built; null: nothing to delete.</summary>
    public string? PreviousArtifacts { get; init; }

    /// <summary>A sparsity sweep of the one selected model over these targets (<c>dotnet prune sweep</c>), instead of a build.</summary>
    public IReadOnlyList<double>? SweepTargets { get; init; }

    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var models = new List<ModelSelection>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count) throw new HostUsageException($"'{args[i]}' needs a value.");
            if (args[i] == HostArguments.Model) models.Add(ModelSelection.Parse(args[i + 1]));
            else values[args[i]] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new HostUsageException($"Missing {name}.");
        string? Optional(string name) => values.GetValueOrDefault(name);
        if (values.Keys.FirstOrDefault(k => !HostArguments.All.Contains(k)) is { } unknown) throw new HostUsageException($"Unknown option {unknown}.");
        var sweep = Optional(HostArguments.Sweep) is { } targets ? ParseTargets(targets) : null;
        if (sweep is not null && models.Count != 1) throw new HostUsageException($"{HostArguments.Sweep} needs exactly one {HostArguments.Model}.");
        return new HostOptions
        {
            Assembly = Required(HostArguments.Assembly),
            OutputDirectory = Required(HostArguments.Output),
            WorkDirectory = Required(HostArguments.Intermediate),
            Data = Optional(HostArguments.Data) ?? "mnist",
            LabelColumn = Optional(HostArguments.LabelColumn),
            Int8 = Optional(HostArguments.Int8) is { } int8 ? ParseBool(HostArguments.Int8, int8) : true,
            Onnx = Optional(HostArguments.Onnx) is { } onnx && ParseBool(HostArguments.Onnx, onnx),
            WeightStorage = Optional(HostArguments.WeightStorage) is { } storage ? ParseStorage(storage) : WeightStorage.Auto,
            Epochs = ParsePositive(HostArguments.Epochs, Optional(HostArguments.Epochs)),
            TrainLimit = ParsePositive(HostArguments.TrainLimit, Optional(HostArguments.TrainLimit)),
            Device = Optional(HostArguments.Device) is { } device ? ParseDevice(device) : DeviceType.CPU,
            Verify = Optional(HostArguments.Verify) is { } verify ? ParseBool(HostArguments.Verify, verify) : true,
            PretrainedDirectory = Optional(HostArguments.PretrainedDirectory),
            Models = models,
            SweepTargets = sweep,
            PreviousArtifacts = Optional(HostArguments.PreviousArtifacts),
        };
    }

    private static IReadOnlyList<double> ParseTargets(string text)
    {
        try
        {
            return Prune.Sweep.SweepTargets.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new HostUsageException($"{HostArguments.Sweep}: {e.Message}");
        }
    }

    /// <summary>The build's two storage settings: auto and dense (<see cref="WeightStorage.Sparse"/> is for code only).</summary>
    private static WeightStorage ParseStorage(string value) => value switch
    {
        "auto" => WeightStorage.Auto,
        "dense" => WeightStorage.Dense,
        _ => throw new HostUsageException($"{HostArguments.WeightStorage} must be auto or dense, not '{value}'."),
    };

    private static DeviceType ParseDevice(string value) => TrainingDevice.Parse(value)
        ?? throw new HostUsageException($"{HostArguments.Device} must be cpu or cuda, not '{value}'.");

    public static bool ParseBool(string name, string value) => bool.TryParse(value, out var b)
        ? b : throw new HostUsageException($"{name} must be true or false, not '{value}'.");

    private static int? ParsePositive(string name, string? value) => value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
        : throw new HostUsageException($"{name} must be a whole number of at least 1, not '{value}'.");
}

/// <summary>The command line is wrong: the task and the host disagree, or someone ran the host by hand.</summary>
internal sealed class HostUsageException(string message) : Exception(message);
