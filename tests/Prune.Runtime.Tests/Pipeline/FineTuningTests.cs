using Prune.Pipeline;
using Prune.Runtime.Tests.Training;
using TorchSharp;

namespace Prune.Runtime.Tests.Pipeline;

/// <summary>Fine-tuning without pruning, the unpruned model a pruned one is compared with, trains exactly as pruning does.</summary>
public class FineTuningTests
{
    [Fact]
    public void Fine_tuning_without_pruning_takes_the_same_steps_as_pruning_and_differs_only_by_the_masks()
    {
        var spec = PrunedAfterFineTuning.ModelSpec;
        var request = new PipelineRequest
        {
            Spec = spec,
            CreateModel = () => new PrunedAfterFineTuning(),
            Data = new DataSource(RepoFiles.BreastCancerCsv, "benign"),
            OutputDirectory = Path.GetTempPath(),
            WorkDirectory = Path.GetTempPath(),
        };
        var log = new RecordingLog();
        using var data = ModelData.Load(request, log);
        using var pruned = Fresh();
        using var unpruned = Fresh();

        // The schedule starts after the last step, so the masks stay all ones: same start, learning rate, batches and
        // shuffle must end with the same weights, bit for bit.
        var withMasks = FineTuning.Run(pruned, data, spec.Training, DeviceType.CPU, log, CancellationToken.None);
        var withoutMasks = FineTuning.WithoutPruning(unpruned, data, spec.Training, DeviceType.CPU, log, CancellationToken.None);

        Assert.Equal(withMasks.Steps, withoutMasks.Steps);
        Assert.Equal(withMasks.History, withoutMasks.History);
        Assert.All(pruned.named_parameters().Zip(unpruned.named_parameters()), pair =>
            Assert.Equal(pair.First.parameter.data<float>().ToArray(), pair.Second.parameter.data<float>().ToArray()));
        Assert.Null(((WeightLayer)unpruned.Layers[0]).WeightMask);
    }

    private static PrunedAfterFineTuning Fresh()
    {
        torch.manual_seed(7);
        return new PrunedAfterFineTuning();
    }
}
