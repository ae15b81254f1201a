using System.Reflection;
using Prune.Build.Protocol;
using Prune.Pipeline;

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
            var models = Select(ModelDiscovery.Find(Assembly.LoadFrom(options.Assembly)), options, log);
            if (models is null) return 1;
            var failed = false;
            foreach (var (model, selection) in models)
            {
                failed |= !RunOne(model, selection, options, log, cancellation.Token);
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

    private static bool RunOne(DiscoveredModel model, ModelSelection? selection, HostOptions options, HostLog log, CancellationToken cancellation)
    {
        var request = new PipelineRequest
        {
            Spec = model.Spec,
            CreateModel = model.Create,
            Data = new DataSource(selection?.Data ?? options.Data, selection?.LabelColumn ?? options.LabelColumn),
            OutputDirectory = options.OutputDirectory,
            WorkDirectory = options.WorkDirectory,
            Int8 = selection?.Int8 ?? options.Int8,
            Onnx = options.Onnx,
            EpochsOverride = options.Epochs,
            TrainLimit = options.TrainLimit,
            VerifyWithLiteRt = options.Verify,
        };
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
            // A bug in Prune, not in the user's model: keep the details for the detailed log, the summary for the error.
            log.Info(e.ToString());
            log.Error(BuildErrorCodes.InternalError, $"Prune failed on {model.Spec.Name}: {e.GetType().Name}: {e.Message} (a bug in Prune; the detailed build log, -v:d, has the stack trace).", model.Spec.Source);
            return false;
        }
    }
}
