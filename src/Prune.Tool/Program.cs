using Prune.Tool.Commands;
using Spectre.Console.Cli;

namespace Prune.Tool;

/// <summary>
/// <c>dotnet prune &lt;command&gt;</c>. A failure the user can act on (a bad flag, an unknown project or model, a
/// malformed file, a port in use) is one line on stderr and exit code 1, never a stack trace.
/// </summary>
internal sealed class Program
{
    private Program()
    {
    }

    private static Task<int> Main(string[] args) => CreateApp().RunAsync(args);

    internal static CommandApp CreateApp()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("dotnet prune");
            config.Settings.StrictParsing = true;
            config.AddCommand<ServeCommand>("serve")
                .WithDescription("Serve .onnx models over TensorFlow Serving's REST API (ONNX Runtime), with TensorFlow Serving's flags.")
                .WithExample("serve", "--model_name=mnist", "--model_base_path=samples/MnistCnn/bin/Debug/net10.0/pruned/MnistCnn80.onnx")
                .WithExample("serve", "--model_config_file=models.config", "--enable_batching");
            config.AddCommand<SweepCommand>("sweep")
                .WithDescription("Prune one model to several sparsities from one baseline and measure each: accuracy (TorchSharp, LiteRT), file sizes, latency; writes sweep.md/.json/.csv/.png.")
                .WithExample("sweep", "--project", "samples/MnistCnn", "--model", "MnistCnn80", "--targets", "0.5,0.7,0.8,0.9,0.95");
            config.AddCommand<InspectCommand>("inspect")
                .WithDescription("Show what a .tflite file holds (operators, tensors, sparsity, signatures, metadata, MACs) after structural checks; exit code 1 when it is malformed.")
                .WithExample("inspect", "samples/MnistCnn/bin/Debug/net10.0/pruned/MnistCnn80.tflite", "--json");
            config.AddCommand<ProfileCommand>("profile")
                .WithDescription("Batch-1 latency of a .tflite file in LiteRT (p50/p90/p99), MACs and parameters per operator, file size; accuracy with --data.")
                .WithExample("profile", "samples/MnistCnn/bin/Debug/net10.0/pruned/MnistCnn80.int8.tflite", "--data", "mnist");
            config.SetExceptionHandler((exception, _) =>
            {
                Console.Error.WriteLine($"dotnet prune: {exception.Message}");
                return 1;
            });
        });
        return app;
    }
}
