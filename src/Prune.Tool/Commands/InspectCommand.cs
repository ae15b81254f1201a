using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Prune.Export;
using Prune.Tool.Files;
using Spectre.Console.Cli;

namespace Prune.Tool.Commands;

/// <summary><c>dotnet prune inspect</c>'s arguments.</summary>
internal sealed class InspectSettings : CommandSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The .tflite file.")]
    public string File { get; init; } = "";

    [CommandOption("--json")]
    [Description("Print JSON instead of text.")]
    public bool Json { get; init; }
}

/// <summary>
/// <c>dotnet prune inspect FILE.tflite</c>: what the file holds, read by the reader the build's reports use (operators,
/// tensors with their storage and sparsity, signatures, metadata, MACs), after structural checks
/// (<see cref="TfLiteChecks"/>). A file that is not a .tflite, truncated or malformed: one line and exit code 1.
/// </summary>
internal sealed class InspectCommand : AsyncCommand<InspectSettings>
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public override Task<int> ExecuteAsync(CommandContext context, InspectSettings settings, CancellationToken cancellationToken)
    {
        var file = TfLiteFile.Load(settings.File);
        var model = file.Contents;
        var costs = OperatorCosts.Of(model);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                file = file.Path,
                bytes = model.FileSize,
                schemaVersion = model.SchemaVersion,
                description = model.Description,
                operators = model.Operators.Select((op, i) => new { index = i, name = op.Name, version = op.Version, inputs = op.Inputs, outputs = op.Outputs, cost = costs[i] }),
                tensors = model.Tensors.Select(t => new
                {
                    index = t.Index,
                    name = t.Name,
                    dtype = t.Type.ToString().ToLowerInvariant(),
                    shape = t.Shape,
                    bytes = t.ByteSize,
                    storage = t.Buffer == 0 ? "activation" : t.IsSparse ? "sparse" : "dense",
                    zeroFraction = t.ZeroFraction,
                    quantization = t.Quantization,
                }),
                inputs = model.Inputs,
                outputs = model.Outputs,
                signatures = model.Signatures,
                metadata = model.Metadata,
                multiplyAccumulates = costs.Sum(c => c.MultiplyAccumulates),
                nonzeroMultiplyAccumulates = costs.Sum(c => c.NonzeroMultiplyAccumulates),
                parameters = costs.Sum(c => c.Parameters),
                checks = "passed",
            }, Json));
            return Task.FromResult(0);
        }
        Console.WriteLine(file.Path);
        Console.Write(TfLiteInspector.Describe(model));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Per sample: {costs.Sum(c => c.MultiplyAccumulates):N0} multiply-accumulates ({costs.Sum(c => c.NonzeroMultiplyAccumulates):N0} on nonzero weights), {costs.Sum(c => c.Parameters):N0} parameters."));
        Console.WriteLine("Structural checks: passed (every index valid, constants sized as their shapes, operators in an order that computes each input first).");
        return Task.FromResult(0);
    }
}
