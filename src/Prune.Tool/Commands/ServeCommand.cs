using Prune.Serving;
using Spectre.Console.Cli;

namespace Prune.Tool.Commands;

/// <summary><c>dotnet prune serve</c>: loads the models, then serves until Ctrl+C.</summary>
internal sealed class ServeCommand : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        var app = ServingApplication.Build(settings.ToOptions(), settings.RestApiHost, settings.RestApiPort);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
