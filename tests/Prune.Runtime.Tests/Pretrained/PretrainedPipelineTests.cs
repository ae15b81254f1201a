using Prune.Pipeline;
using Prune.Runtime.Tests.Pipeline;
using Prune.Runtime.Tests.Training;
using Prune.Specs;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pretrained;

/// <summary>
/// A model declared [Pretrained] in the pipeline: the file is loaded before the baseline trains and keys its cache; a
/// missing, unreadable or unfitting file stops the run before anything is trained or written.
/// </summary>
public sealed class PretrainedPipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("prune-pretrained-").FullName;

    private string Output => Path.Combine(_root, "out");

    private string Baselines => Path.Combine(_root, "obj", "baselines");

    private static ModelSpec Mlp(string file) => TestModels.Mlp(30, 1, Activation.Sigmoid) with { Pretrained = new PretrainedSpec { Path = file } };

    private PipelineRequest Request(ModelSpec spec) => new()
    {
        Spec = spec,
        CreateModel = () => Model.FromSpec(spec),
        Data = new DataSource(RepoFiles.BreastCancerCsv, "benign"),
        OutputDirectory = Output,
        WorkDirectory = Path.Combine(_root, "obj"),
        PretrainedDirectory = _root,
        EpochsOverride = 1,
        Int8 = false,
        VerifyWithLiteRt = false,
    };

    /// <summary>A checkpoint for the MLP (hidden: Dense 16 on 30 features; output: Dense 1), written as torch.save writes one.</summary>
    private string Checkpoint(string name, int hidden = 16, int seed = 1)
    {
        manual_seed(seed);
        using var module = nn.Sequential(("hidden", nn.Linear(30, hidden)), ("relu", nn.ReLU()), ("output", nn.Linear(hidden, 1)));
        module.save_py(Path.Combine(_root, name));
        return name;
    }

    private void AssertNothingWritten()
    {
        Assert.False(Directory.Exists(Output), "the output folder was written");
        Assert.False(Directory.Exists(Baselines) && Directory.EnumerateFiles(Baselines).Any(), "a baseline was trained");
    }

    [Fact]
    public void A_missing_file_stops_the_run_naming_its_path_before_anything_is_trained_or_written()
    {
        var e = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request(Mlp("weights/none.pt")), new RecordingLog()));

        Assert.Equal(PipelineFailure.PretrainedNotReadable, e.Failure);
        Assert.Contains(Path.Combine(_root, "weights", "none.pt"), e.Message);
        AssertNothingWritten();
    }

    [Fact]
    public void A_corrupt_file_stops_the_run_naming_its_path()
    {
        File.WriteAllBytes(Path.Combine(_root, "corrupt.onnx"), [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 91 + 7))]);

        var e = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request(Mlp("corrupt.onnx")), new RecordingLog()));

        Assert.Equal(PipelineFailure.PretrainedNotReadable, e.Failure);
        Assert.Contains(Path.Combine(_root, "corrupt.onnx"), e.Message);
        AssertNothingWritten();
    }

    [Fact]
    public void A_file_of_other_shapes_stops_the_run_naming_the_layer_and_both_shapes()
    {
        var e = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request(Mlp(Checkpoint("narrow.pt", hidden: 8))), new RecordingLog()));

        Assert.Equal(PipelineFailure.PretrainedDoesNotFit, e.Failure);
        Assert.Contains("layer hidden (Dense) has a weight of shape [16, 30], but the file's 'hidden.weight' has shape [8, 30]", e.Message);
        AssertNothingWritten();
    }

    [Fact]
    public void The_baseline_starts_from_the_file_and_its_cache_entry_belongs_to_the_file_s_content()
    {
        var first = new RecordingLog();
        PrunePipeline.Run(Request(Mlp(Checkpoint("a.pt", seed: 1))), first);
        Assert.Contains(first.Lines, l => l.Contains("loaded 4 pretrained tensors into 2 layers", StringComparison.Ordinal));

        // Other weights under the same name: trained again, not the first file's baseline.
        Checkpoint("a.pt", seed: 2);
        var second = new RecordingLog();
        PrunePipeline.Run(Request(Mlp("a.pt")), second);
        Assert.DoesNotContain(second.Lines, l => l.Contains("baseline loaded from cache", StringComparison.Ordinal));
        Assert.Equal(2, Directory.GetFiles(Baselines, "*.weights").Length);

        var third = new RecordingLog();
        PrunePipeline.Run(Request(Mlp("a.pt")), third);
        Assert.Contains(third.Lines, l => l.Contains("baseline loaded from cache", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(0, true)]
    public void A_BatchNorm_frozen_for_the_whole_baseline_keeps_the_file_s_statistics_and_one_that_trained_is_re_estimated(int freezeEpochs, bool reestimated)
    {
        // A backbone (the layers before the first Dense) with pretrained statistics no training batch could give: mean 0.5, variance 2.
        manual_seed(3);
        using (var module = nn.Sequential(("conv", nn.Conv2d(1, 4, 3, stride: 2, bias: false)), ("norm", nn.BatchNorm2d(4))))
        {
            using (no_grad())
            {
                module.named_buffers().Single(b => b.name == "norm.running_mean").buffer.fill_(0.5);
                module.named_buffers().Single(b => b.name == "norm.running_var").buffer.fill_(2);
            }
            module.save_py(Path.Combine(_root, "normed.pt"));
        }
        var layers = TestModels.Input(1, 28, 28).Conv("conv", 4, 3, stride: 2, useBias: false).BatchNorm("norm", Activation.Relu)
            .Flatten("flatten").Dense("logits", 10);
        var spec = layers.Spec("Normed") with { Pretrained = new PretrainedSpec { Path = "normed.pt", IncludeTop = false, FreezeEpochs = freezeEpochs } };
        var request = Request(spec) with { Data = new DataSource("mnist"), TrainLimit = 256 };
        var log = new RecordingLog();
        using var data = ModelData.Load(request, log);

        var (model, _) = TrainedBaseline.Prepare(request, data, EffectiveTraining.For(request), log, CancellationToken.None);
        using (model)
        {
            var norm = model.Layers.OfType<global::Prune.Layers.BatchNormLayer>().Single();
            var (mean, variance) = (norm.RunningMean.data<float>().ToArray(), norm.RunningVariance.data<float>().ToArray());
            Assert.Equal(!reestimated, mean.All(m => m == 0.5f) && variance.All(v => v == 2f));
        }
        Assert.Equal(reestimated, log.Lines.Any(l => l.Contains("re-estimating the statistics of 1 BatchNorm", StringComparison.Ordinal)));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
