using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Prune.Serving.Api;
using Prune.Serving.Config;
using Prune.Serving.Models;

namespace Prune.Serving;

/// <summary>
/// Wires the server into an ASP.NET Core application: <see cref="AddTensorFlowServing"/> registers the models, their
/// polling and the metrics; <see cref="MapTensorFlowServing"/> maps TensorFlow Serving's REST API, <c>/healthz</c>
/// and <c>/metrics</c>. <see cref="Build"/> makes the Kestrel application <c>dotnet prune serve</c> runs.
/// </summary>
public static class ServingApplication
{
    /// <summary>Registers everything the endpoints need.</summary>
    /// <exception cref="ConfigException">Two models share a name, or a name cannot appear in a URL.</exception>
    public static IServiceCollection AddTensorFlowServing(this IServiceCollection services, ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        services.AddSingleton(options);
        services.AddMetrics();
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton<ModelRegistry>();
        services.AddHostedService(provider => provider.GetRequiredService<ModelRegistry>());
        services.AddHealthChecks().Add(new HealthCheckRegistration("models", provider => provider.GetRequiredService<ModelRegistry>(), null, null));
        services.AddRouting();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ServingMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps TensorFlow Serving's REST API under <c>/v1/</c>, the health check at <c>/healthz</c> (200 when every
    /// model has a version available, else 503) and Prometheus metrics at <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapTensorFlowServing(this IEndpointRouteBuilder endpoints)
    {
        RestApi.Map(endpoints);
        endpoints.MapHealthChecks("/healthz");
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }

    /// <summary>A Kestrel application serving <paramref name="options"/> on <paramref name="host"/>:<paramref name="port"/>
    /// (port 0: a free one, then in <c>Urls</c> once started).</summary>
    public static WebApplication Build(ServingOptions options, string host, int port, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // One line per request is ASP.NET Core's default at Information: too much for a server under load.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}");
        // The predict handler enforces the body limit itself, so that an oversized body gets a JSON 413.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.AddTensorFlowServing(options);
        var app = builder.Build();
        app.MapTensorFlowServing();
        return app;
    }

    private static void Validate(ServingOptions options)
    {
        if (options.Models.Count == 0) throw new ConfigException("No model to serve: give --model_base_path (and --model_name) or --model_config_file.");
        foreach (var model in options.Models)
        {
            if (model.Name.Length == 0 || model.Name.Contains('/', StringComparison.Ordinal) || model.Name.Contains("..", StringComparison.Ordinal)
                || !model.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                throw new ConfigException($"'{model.Name}' cannot be a model name: use letters, digits, '_', '-' and '.', no '..'.");
        }
        if (options.Models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new ConfigException($"Model '{duplicate.Key}' is configured twice.");
        if (options.EnableBatching && options.Batching.MaxBatchSize < 1) throw new ConfigException("max_batch_size must be at least 1.");
    }
}
