using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>
/// The model with its baseline weights, trained or reused from the cache: the start of every pruning, the build's one
/// and each of a sweep's. The model is checked exportable first (a layer that cannot be exported fails in a second, not
/// after minutes of training), then starts from its pretrained weights if it declares some, and a baseline no better
/// than chance is warned about.
/// </summary>
internal static class TrainedBaseline
{
    public static (Model Model, BaselineResult Result) Prepare(PipelineRequest request, ModelData data, TrainingSpec training, IPipelineLog log,
        CancellationToken cancellation)
    {
        var spec = request.Spec;
        // The layers draw their initial weights from libtorch's global generator: seed it first, so a build
        // trains the same baseline every time (the trainer seeds again for shuffling and dropout).
        TorchSharp.torch.manual_seed(training.Seed);
        var model = request.CreateModel();
        try
        {
            ExportedFiles.CheckExportable(model);
            var pretrained = PretrainedStart.Load(model, request, log);
            var baseline = BaselineCache.TrainOrLoad(model, data, training, request, pretrained, log, cancellation);
            if (data.Labels.Chance.LearnedNothing(baseline.Accuracy))
            {
                log.Warning(PipelineWarning.BaselineLearnedNothing,
                    $"{spec.Name}'s baseline reaches {data.Labels.Chance.Compare(baseline.Accuracy)}, with a test loss of {baseline.Loss:G4}: it learned nothing. Lower the learning rate in [Training(...)], train for more epochs, or check the labels.",
                    spec.Source);
            }
            return (model, baseline);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
