using System.Reflection;
using Prune.Build.Protocol;
using Prune.Host.Charts;
using Prune.Pipeline;
using Prune.Sweep;
using Prune.Training;

namespace Prune.Host;

/// <summary>
/// The child process of the PruneModels build task: loads the user's assembly (its deps.json resolves everything,
/// TorchSharp's natives included), finds its [Model] classes and runs the pipeline on each. It speaks to the task
/// only through <see cref="HostMessage"/> lines; a failure becomes a coded error at the model's declaration, never a stack trace.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var log = new HostLog();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
        try
        {
            var options = HostOptions.Parse(args);
            if (TrainingDevice.Unavailable(options.Device) is { } reason)
            {
                log.Error(BuildErrorCodes.DeviceUnavailable, reason + " Nothing was trained.");
                return 1;
            }
            var models = Select(ModelDiscovery.Find(Assembly.LoadFrom(options.Assembly)), options, log);
            if (models is null) return 1;
            if (options.PreviousArtifacts is { } manifest && !PreviousArtifacts.TryDelete(manifest, log)) return 1;
            var charts = ChartsRenderer.Load(log);
            if (options.SweepTargets is { } targets)
            {
                StopOnRequest(cancellation);
                return Sweep(models[0].Model, models[0].Selection, targets, options, charts, log, cancellation.Token);
            }
            var failed = false;
            foreach (var (model, selection) in models)
            {
                failed |= !RunOne(model, selection, options, charts, log, cancellation.Token);
            }
            return failed ? 1 : 0;
        }
        catch (HostUsageException e)
        {
            log.Error(BuildErrorCodes.InvalidSetting, e.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            log.Error(BuildErrorCodes.HostFailed, "Cancelled.");
            return 1;
        }
    }

    /// <summary>The models to build: all of them, or those the project names (an unknown name is an error).</summary>
    private static List<(DiscoveredModel Model, ModelSelection? Selection)>? Select(IReadOnlyList<DiscoveredModel> found, HostOptions options, HostLog log)
    {
        if (options.Models.Count == 0) return found.Select(m => (m, (ModelSelection?)null)).ToList();
        var selected = new List<(DiscoveredModel, ModelSelection?)>();
        foreach (var selection in options.Models)
        {
            var match = found.FirstOrDefault(m => m.Spec.Name == selection.Name || m.Spec.TypeName == selection.Name);
            if (match is null)
            {
                var known = found.Count == 0 ? "it has no [Model] class" : "its models are " + string.Join(", ", found.Select(m => m.Spec.TypeName));
                log.Error(BuildErrorCodes.ModelNotFound, $"PruneModel '{selection.Name}' names no [Model] class of {Path.GetFileName(options.Assembly)}: {known}.");
                return null;
            }
            selected.Add((match, selection));
        }
        return selected;
    }

    private static bool RunOne(DiscoveredModel model, ModelSelection? selection, HostOptions options, IChartRenderer? charts, HostLog log,
        CancellationToken cancellation)
    {
        var request = Request(model, selection, options, charts);
        try
        {
            foreach (var file in PrunePipeline.Run(request, log, cancellation)) log.Output(file);
            return true;
        }
        catch (PipelineException e)
        {
            log.Error(ErrorCodes.For(e.Failure), e.Message, e.Source ?? model.Spec.Source);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportBug(model, log, e);
            return false;
        }
    }

    /// <summary><c>dotnet prune sweep</c>: exit code 0 when every target was tried, 2 when stopped, 1 when the sweep could not run.</summary>
    private static int Sweep(DiscoveredModel model, ModelSelection? selection, IReadOnlyList<double> targets, HostOptions options, IChartRenderer? charts,
        HostLog log, CancellationToken cancellation)
    {
        try
        {
            _ = SweepTargets.At(model.Spec, targets[0]);
        }
        catch (ArgumentException e)
        {
            log.Error(BuildErrorCodes.InvalidSetting, e.Message, model.Spec.Source);
            return 1;
        }
        try
        {
            return SparsitySweep.Run(Request(model, selection, options, charts), targets, log, cancellation).Stopped ? 2 : 0;
        }
        catch (PipelineException e)
        {
            log.Error(ErrorCodes.For(e.Failure), e.Message, e.Source ?? model.Spec.Source);
            return 1;
        }
        catch (OperationCanceledException)
        {
            log.Progress($"{model.Spec.Name}: stopped before the first target was done; nothing was written.");
            return 2;
        }
        catch (Exception e)
        {
            ReportBug(model, log, e);
            return 1;
        }
    }

    /// <summary>
    /// The tool asks a sweep to stop by writing a line (or closing) on the host's stdin, which it redirects: a child
    /// whose output is redirected does not always get the terminal's Ctrl+C. The trainer then stops between two steps.
    /// </summary>
    private static void StopOnRequest(CancellationTokenSource cancellation)
    {
        var listener = new Thread(() =>
        {
            _ = Console.In.ReadLine();
            cancellation.Cancel();
        })
        {
            IsBackground = true,
            Name = "stop request",
        };
        listener.Start();
    }

    private static PipelineRequest Request(DiscoveredModel model, ModelSelection? selection, HostOptions options, IChartRenderer? charts) => new()
    {
        Spec = model.Spec,
        CreateModel = model.Create,
        Data = new DataSource(selection?.Data ?? options.Data, selection?.LabelColumn ?? options.LabelColumn),
        OutputDirectory = options.OutputDirectory,
        WorkDirectory = options.WorkDirectory,
        Int8 = selection?.Int8 ?? options.Int8,
        Onnx = options.Onnx,
        WeightStorage = options.WeightStorage,
        EpochsOverride = options.Epochs,
        TrainLimit = options.TrainLimit,
        Device = options.Device,
        VerifyWithLiteRt = options.Verify,
        PretrainedDirectory = options.PretrainedDirectory,
        Charts = charts,
    };

    /// <summary>A bug in Prune, not in the user's model: the details for the detailed log, the summary for the error.</summary>
    private static void ReportBug(DiscoveredModel model, HostLog log, Exception e)
    {
        log.Info(e.ToString());
        log.Error(BuildErrorCodes.InternalError, $"Prune failed on {model.Spec.Name}: {e.GetType().Name}: {e.Message} (a bug in Prune; the detailed build log, -v:d, has the stack trace).", model.Spec.Source);
    }
}
