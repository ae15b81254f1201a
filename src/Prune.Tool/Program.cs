using Prune.Tool.Commands;
using Spectre.Console.Cli;

namespace Prune.Tool;

/// <summary>
/// <c>dotnet prune &lt;command&gt;</c>. A failure the user can act on (a bad flag, an unreadable configuration file, a
/// port in use) is one line on stderr and exit code 1, never a stack trace.
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
            config.SetExceptionHandler((exception, _) =>
            {
                Console.Error.WriteLine($"dotnet prune: {exception.Message}");
                return 1;
            });
        });
        return app;
    }
}
