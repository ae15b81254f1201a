using Prune.Pretrained;

namespace Prune.Pipeline;

/// <summary>
/// The pretrained weights a model declares, loaded into the fresh model before its baseline trains: which layers they
/// fill (frozen for the first <see cref="FreezeEpochs"/>), and the file's content fingerprint, which keys the baseline
/// cache (a new file trains again).
/// </summary>
/// <param name="Layers">The layers the file filled.</param>
/// <param name="FreezeEpochs">Baseline epochs during which they do not train.</param>
/// <param name="Fingerprint">The file's content and the settings that decide what was loaded.</param>
internal sealed record PretrainedStart(IReadOnlyList<string> Layers, int FreezeEpochs, string Fingerprint)
{
    /// <summary>Loads the declared file into <paramref name="model"/>, or returns null when the model declares none.</summary>
    /// <exception cref="PipelineException">The file is missing, unreadable or does not fit (nothing is trained or written).</exception>
    public static PretrainedStart? Load(Model model, PipelineRequest request, IPipelineLog log)
    {
        var spec = model.Spec;
        if (spec.Pretrained is not { } pretrained) return null;
        if (pretrained.FreezeEpochs < 0)
            throw new PipelineException(PipelineFailure.InvalidSpec, $"{spec.Name}'s [Pretrained] freezes for {pretrained.FreezeEpochs} epochs: FreezeEpochs is 0 or more.", spec.Source);
        var folder = request.PretrainedDirectory ?? Directory.GetCurrentDirectory();
        try
        {
            var weights = PretrainedLoader.Load(model, pretrained, folder);
            var path = PretrainedLoader.PathOf(pretrained, folder);
            log.Progress($"{spec.Name}: loaded {weights.Tensors.Count} pretrained tensors into {weights.Layers.Count} layers from {path}" +
                (pretrained.FreezeEpochs > 0 ? $" (frozen for {pretrained.FreezeEpochs} epochs)" : ""));
            var fingerprint = ContentFingerprint.Of(path, $"includeTop={pretrained.IncludeTop}", $"freeze={pretrained.FreezeEpochs}");
            return new PretrainedStart(weights.Layers, pretrained.FreezeEpochs, fingerprint);
        }
        catch (PretrainedWeightsException e)
        {
            var failure = e.Problem == PretrainedProblem.DoesNotFit ? PipelineFailure.PretrainedDoesNotFit : PipelineFailure.PretrainedNotReadable;
            throw new PipelineException(failure, e.Message, spec.Source, e);
        }
    }
}
