using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prune.Serving.Config;

namespace Prune.Serving.Models;

/// <summary>
/// The served models by name. Models load before the server takes requests (<see cref="StartAsync"/>, as TensorFlow
/// Serving loads before it listens); then every <see cref="ServingOptions.FileSystemPollWaitSeconds"/> the base paths
/// are polled for new versions.
/// </summary>
internal sealed class ModelRegistry : BackgroundService, IHealthCheck
{
    private readonly Dictionary<string, ServedModel> _models;
    private readonly ServingOptions _options;
    private readonly ILogger<ModelRegistry> _logger;

    public ModelRegistry(ServingOptions options, ServingMetrics metrics, ILogger<ModelRegistry> logger)
    {
        _options = options;
        _logger = logger;
        _models = options.Models.ToDictionary(m => m.Name, m => new ServedModel(m, options, metrics, logger), StringComparer.Ordinal);
    }

    public ServedModel? Find(string name) => _models.GetValueOrDefault(name);

    public IEnumerable<ServedModel> Models => _models.Values;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        PollAll();
        foreach (var model in _models.Values.Where(m => !m.Status.Any(s => s.State == VersionState.Available)))
            _logger.LogWarning("Model {Model}: no version could be loaded yet; polling goes on.", model.Name);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.FileSystemPollWaitSeconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.FileSystemPollWaitSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) PollAll();
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var model in _models.Values) model.RetireAll();
    }

    /// <summary>Healthy when every model has a version available; unhealthy (503) otherwise, naming the models without one.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missing = _models.Values.Where(m => !m.Status.Any(s => s.State == VersionState.Available)).Select(m => m.Name).ToList();
        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy($"{_models.Count} model(s) available")
            : HealthCheckResult.Unhealthy($"no version available for: {string.Join(", ", missing)}"));
    }

    private void PollAll()
    {
        foreach (var model in _models.Values)
        {
            try
            {
                model.Poll();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogError("Model {Model}: its base path cannot be read: {Error}", model.Name, e.Message);
            }
        }
    }
}
