using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Prune.Specs;
using Prune.Training;
using TorchSharp;

namespace Prune.Pipeline;

/// <summary>How the baseline came to be and how good it is.</summary>
/// <param name="Accuracy">Test accuracy before pruning.</param>
/// <param name="Loss">Test loss before pruning.</param>
/// <param name="Epochs">Epochs it was trained for.</param>
/// <param name="FromCache">Whether it was loaded from the cache instead of trained.</param>
/// <param name="Duration">Time spent training (or loading) it.</param>
internal sealed record BaselineResult(double Accuracy, double Loss, int Epochs, bool FromCache, TimeSpan Duration)
{
    /// <summary>Training loss and accuracy per epoch (kept beside a cached baseline, so a reused one has it too).</summary>
    public IReadOnlyList<EpochSummary> History { get; init; } = [];
}

/// <summary>
/// Trains the baseline, or loads it from obj/ when the same architecture, baseline settings and data were trained
/// before. Pruning settings and the model's name are not part of the key, so changing only how a model is pruned,
/// or declaring two models that differ only in pruning, re-uses one baseline and re-runs only the fine-tuning.
/// </summary>
internal static class BaselineCache
{
    public static BaselineResult TrainOrLoad(Model model, ModelData data, TrainingSpec training, PipelineRequest request,
        PretrainedStart? pretrained, IPipelineLog log, CancellationToken cancellation)
    {
        var spec = request.Spec;
        var path = Path.Combine(request.WorkDirectory, "baselines", $"baseline-{Key(spec, training, data, request.Device, pretrained)}.weights");
        var historyPath = Path.ChangeExtension(path, ".history.json");
        var clock = Stopwatch.StartNew();
        var fromCache = File.Exists(path);
        IReadOnlyList<EpochSummary> history;
        if (fromCache)
        {
            log.Progress($"{spec.Name}: baseline loaded from cache ({Path.GetFileName(path)})");
            model.load(path);
            history = ReadHistory(historyPath);
        }
        else
        {
            log.Progress($"{spec.Name}: training the baseline ({training.Epochs} epochs on {data.Train.Count:N0} samples, {TrainingOn(request.Device)})");
            var options = FitOptions.Baseline(training) with
            {
                Device = request.Device,
                FrozenLayers = pretrained?.Layers ?? [],
                FreezeEpochs = pretrained?.FreezeEpochs ?? 0,
            };
            history = Divergence.Guard(spec, "baseline training",
                () => Trainer.Fit(model, data.Train, options, hooks: null, new EpochProgress(log, $"{spec.Name} baseline"), cancellation)).Epochs;
            // Layers frozen for the whole fit keep the pretrained statistics, as they kept them while training.
            var frozenThroughout = options.FreezeEpochs >= options.Epochs ? options.FrozenLayers : [];
            BatchNormStatistics.Reestimate(model, data.Train, options, frozenThroughout, log);
        }
        var evaluation = Trainer.Evaluate(model, data.Test);
        Divergence.ThrowIfDiverged(spec, evaluation.Loss, "baseline training");
        if (!fromCache)
        {
            // The history first: a cache entry is its weights file, and the history beside it is never older than it.
            AtomicWrite(historyPath, temporary => File.WriteAllText(temporary, JsonSerializer.Serialize(history)));
            AtomicWrite(path, temporary => model.save(temporary));
        }
        return new BaselineResult(evaluation.Accuracy, evaluation.Loss, training.Epochs, fromCache, clock.Elapsed) { History = history };
    }

    private static string TrainingOn(DeviceType device) => device == DeviceType.CPU ? $"{Trainer.Threads} threads" : device.ToString();

    /// <summary>A cached baseline's epochs; none when the file is missing or unreadable (the curve is left out, nothing fails).</summary>
    private static IReadOnlyList<EpochSummary> ReadHistory(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<EpochSummary>>(File.ReadAllText(path)) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Everything that decides the baseline's weights, and nothing else. libtorch's thread count and the device are part
    /// of it: a 1-thread build must not reuse a 2-thread build's baseline, whose bytes differ, nor a CPU build a GPU's; so is
    /// the pretrained file's content, which the baseline starts from.</summary>
    private static string Key(ModelSpec spec, TrainingSpec training, ModelData data, DeviceType device, PretrainedStart? pretrained)
    {
        var layers = spec.Layers.Select(l => (l with { Pruning = null, Source = null }).ToString());
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"{training.Optimizer} lr={training.LearningRate} momentum={training.Momentum} batch={training.BatchSize} epochs={training.Epochs} seed={training.Seed} threads={Trainer.Threads} device={device}");
        var runtime = typeof(BaselineCache).Assembly.ManifestModule.ModuleVersionId.ToString();
        return ContentFingerprint.OfText([$"input={spec.InputShape}", .. layers, settings, data.Fingerprint, runtime, $"pretrained={pretrained?.Fingerprint ?? "none"}"]);
    }

    /// <summary>Writes beside the target and renames, so an interrupted build never leaves a truncated cache entry.</summary>
    private static void AtomicWrite(string path, Action<string> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
