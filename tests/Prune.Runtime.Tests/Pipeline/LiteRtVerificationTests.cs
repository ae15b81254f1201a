using Prune.Pipeline;
using Prune.Runtime.Tests.Training;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pipeline;

/// <summary>What the build says when LiteRT disagrees with TorchSharp: it blames the exporter only for a model that works.</summary>
public sealed class LiteRtVerificationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("prune-verify-").FullName;

    [Theory]
    [InlineData(true, "This is a bug in Prune's exporter; please report it.")]
    [InlineData(false, "no better than always answering the most common class")]
    public void A_disagreement_blames_the_exporter_only_when_the_model_learned_something(bool trained, string expected)
    {
        var request = new PipelineRequest
        {
            Spec = HalfPruned.ModelSpec,
            CreateModel = () => new HalfPruned(),
            Data = new DataSource(RepoFiles.BreastCancerCsv, "benign"),
            OutputDirectory = Path.Combine(_root, "out"),
            WorkDirectory = _root,
            Int8 = false,
        };
        using var data = ModelData.Load(request, new RecordingLog());
        manual_seed(5);
        using var model = new HalfPruned();
        if (trained) Trainer.Fit(model, data.Train, new FitOptions { Epochs = 3, LearningRate = 0.01, Seed = 5 });
        else
        {
            // A model that learned nothing: every weight zero, so it answers the same for every sample.
            using var noGrad = no_grad();
            foreach (var parameter in model.parameters()) parameter.zero_();
        }
        var files = ExportedFiles.Create(model, data, request);
        // TorchSharp now computes a little else than the exported file, as a real exporter bug would make it.
        using (no_grad()) ((WeightLayer)model.Layers[^1]).Bias!.add_(0.01f);

        var error = Assert.Throws<PipelineException>(() => LiteRtVerification.Run(model.Spec, ReferenceOutputs.Compute(model, data, LiteRtVerification.SamplesNeeded(files)), files, _root, new RecordingLog()));

        Assert.Equal(PipelineFailure.LiteRtMismatch, error.Failure);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        if (!trained) Assert.DoesNotContain("bug in Prune's exporter", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
