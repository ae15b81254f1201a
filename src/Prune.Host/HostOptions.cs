using System.Globalization;

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
                case "data": data = value; break;
                case "label": label = value; break;
                case "int8": int8 = HostOptions.ParseBool("int8", value); break;
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
    public int? Epochs { get; init; }
    public int? TrainLimit { get; init; }
    public bool Verify { get; init; } = true;
    public IReadOnlyList<ModelSelection> Models { get; init; } = [];

    /// <summary>A sparsity sweep of the one selected model over these targets (<c>dotnet prune sweep</c>), instead of a build.</summary>
    public IReadOnlyList<double>? SweepTargets { get; init; }

    public static HostOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var models = new List<ModelSelection>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count) throw new HostUsageException($"'{args[i]}' needs a value.");
            if (args[i] == "--model") models.Add(ModelSelection.Parse(args[i + 1]));
            else values[args[i]] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new HostUsageException($"Missing {name}.");
        string? Optional(string name) => values.GetValueOrDefault(name);
        var known = new HashSet<string> { "--assembly", "--output", "--intermediate", "--data", "--label-column", "--int8", "--onnx", "--epochs", "--train-limit", "--verify", "--sweep" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new HostUsageException($"Unknown option {unknown}.");
        var sweep = Optional("--sweep") is { } targets ? ParseTargets(targets) : null;
        if (sweep is not null && models.Count != 1) throw new HostUsageException("--sweep needs exactly one --model.");
        return new HostOptions
        {
            Assembly = Required("--assembly"),
            OutputDirectory = Required("--output"),
            WorkDirectory = Required("--intermediate"),
            Data = Optional("--data") ?? "mnist",
            LabelColumn = Optional("--label-column"),
            Int8 = Optional("--int8") is { } int8 ? ParseBool("--int8", int8) : true,
            Onnx = Optional("--onnx") is { } onnx && ParseBool("--onnx", onnx),
            Epochs = ParsePositive("--epochs", Optional("--epochs")),
            TrainLimit = ParsePositive("--train-limit", Optional("--train-limit")),
            Verify = Optional("--verify") is { } verify ? ParseBool("--verify", verify) : true,
            Models = models,
            SweepTargets = sweep,
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
            throw new HostUsageException($"--sweep: {e.Message}");
        }
    }

    public static bool ParseBool(string name, string value) => bool.TryParse(value, out var b)
        ? b : throw new HostUsageException($"{name} must be true or false, not '{value}'.");

    private static int? ParsePositive(string name, string? value) => value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
        : throw new HostUsageException($"{name} must be a whole number of at least 1, not '{value}'.");
}

/// <summary>The command line is wrong: the task and the host disagree, or someone ran the host by hand.</summary>
internal sealed class HostUsageException(string message) : Exception(message);
