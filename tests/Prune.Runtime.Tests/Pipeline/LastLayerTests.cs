using Prune.Pipeline;
using Prune.Runtime.Tests.Training;
using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pipeline;

/// <summary>
/// Whatever kind of layer a model ends in, training, the reference the files are checked against, and LiteRT running
/// the exported files read its outputs alike (<c>ModelSpec.Output</c>): the loss training reports is the cross-entropy of
/// the probabilities the reference reads, both pick the same classes, and the float and int8 files agree with them.
/// </summary>
public sealed class LastLayerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("prune-last-layer-").FullName;

    public static TheoryData<string> LastLayers =>
    [
        "Dense logit", "Dense sigmoid", "BatchNorm sigmoid",
        "Dense logits", "Dense softmax", "Conv2D logits", "Conv2D softmax", "DepthwiseConv2D logits", "BatchNorm softmax",
    ];

    [Theory]
    [MemberData(nameof(LastLayers))]
    public void A_model_ending_in_it_trains_exports_and_verifies_with_one_reading_of_its_outputs(string lastLayer)
    {
        var (spec, data) = Model(lastLayer);
        var request = new PipelineRequest
        {
            Spec = spec,
            CreateModel = () => Prune.Model.FromSpec(spec),
            Data = data,
            OutputDirectory = Path.Combine(_root, "out"),
            WorkDirectory = _root,
            TrainLimit = 3000,
        };
        using var modelData = ModelData.Load(request, new RecordingLog());
        // Seeded before the layers initialize their weights, so each case trains the same way on every run.
        manual_seed(3);
        using var model = Prune.Model.FromSpec(spec);
        var before = Trainer.Evaluate(model, modelData.Test);
        // The table has 30 standardized features and a few hundred rows: a faster rate than MNIST's learns it in as few steps.
        Trainer.Fit(model, modelData.Train, new FitOptions { BatchSize = 32, LearningRate = spec.InputShape.Rank == 1 ? 1e-2 : 2e-3, MaxSteps = 80, Seed = 3 });

        var files = ExportedFiles.Create(model, modelData, request);
        var reference = ReferenceOutputs.Compute(model, modelData, LiteRtVerification.SamplesNeeded(files));
        var verified = LiteRtVerification.Run(spec, reference, files, _root, new RecordingLog());

        // Training's reading: the loss it minimizes and the classes it counts, on the samples the files are checked on.
        using var checkedSamples = modelData.Test.Take(reference.Count);
        var training = Trainer.Evaluate(model, checkedSamples);
        var chance = ChanceLevel.Of([.. reference.Labels.Select(l => (long)l)]);
        Assert.True(training.Loss < before.Loss && !chance.LearnedNothing(training.Accuracy),
            $"loss {before.Loss:F3} -> {training.Loss:F3}, accuracy {chance.Compare(training.Accuracy)}: the model did not train");
        Assert.All(reference.Probabilities, p => Assert.True(p.All(v => v is >= 0 and <= 1) && (p.Length == 1 || Math.Abs(p.Sum() - 1) < 1e-4),
            $"not probabilities: [{string.Join(", ", p)}]"));
        Assert.Equal(training.Loss, CrossEntropy(reference), 3);
        Assert.Equal(training.Accuracy, Accuracy(reference), 6);
        // LiteRT's reading of both files: the float file matches (it would throw otherwise), the int8 file agrees.
        Assert.True(verified.Ran, verified.Note);
        Assert.Equal(1.0, verified.FloatTop1Agreement);
        Assert.True(verified.Int8Top1Agreement >= 0.9, $"the int8 file picks the float model's class on {verified.Int8Top1Agreement:P1}");
    }

    /// <summary>A small model of the breast-cancer table (one output) or of MNIST (ten) that ends in <paramref name="lastLayer"/>.</summary>
    private static (ModelSpec Spec, DataSource Data) Model(string lastLayer)
    {
        var table = new DataSource(RepoFiles.BreastCancerCsv, "benign");
        var mnist = new DataSource("mnist");
        // The builder grows as layers are added: each case starts from a fresh one.
        TestModels Features() => TestModels.Input(30).Dense("hidden", 8, Activation.Relu);
        TestModels Flat() => TestModels.Input(1, 28, 28).Flatten("flatten");
        // Two 3x3 convolutions with stride 3 leave 3x3 maps, which a 3x3 kernel turns into [filters, 1, 1]: one value per
        // class for a last convolution. (Not one 13x13 kernel over 13x13 maps: libtorch's CPU convolution then gives a
        // sample in a batch of 8 results 5e-3 away from the same sample alone, which no exported file can match.)
        TestModels Maps() => TestModels.Input(1, 28, 28).Conv("conv1", 8, 3, stride: 3, activation: Activation.Relu)
            .Conv("conv2", 16, 3, stride: 3, activation: Activation.Relu);
        var (model, data) = lastLayer switch
        {
            "Dense logit" => (Features().Dense("output", 1), table),
            "Dense sigmoid" => (Features().Dense("output", 1, Activation.Sigmoid), table),
            "BatchNorm sigmoid" => (Features().Dense("output", 1).BatchNorm("norm", Activation.Sigmoid), table),
            "Dense logits" => (Flat().Dense("output", 10), mnist),
            "Dense softmax" => (Flat().Dense("output", 10, Activation.Softmax), mnist),
            "Conv2D logits" => (Maps().Conv("output", 10, 3), mnist),
            "Conv2D softmax" => (Maps().Conv("output", 10, 3, activation: Activation.Softmax), mnist),
            // A 3x3 depthwise kernel over 3x3 maps. (A 1x1 one on 1x1 maps after a 3x3 Conv2D once ended in NaN: the Conv2D's
            // kernel covered its whole input, libtorch's defect that Conv2DLayer now avoids; docs/reliability.md.)
            "DepthwiseConv2D logits" => (Maps().Conv("classes", 10, 1).Depthwise("output", 1, 3), mnist),
            "BatchNorm softmax" => (Flat().Dense("output", 10).BatchNorm("norm", Activation.Softmax), mnist),
            _ => throw new ArgumentOutOfRangeException(nameof(lastLayer), lastLayer, null),
        };
        return (model.Spec(lastLayer.Replace(" ", "", StringComparison.Ordinal)), data);
    }

    /// <summary>The mean cross-entropy of the reference's probabilities: what training's loss is, read as probabilities.</summary>
    private static double CrossEntropy(ReferenceOutputs reference) => reference.Probabilities.Zip(reference.Labels, (p, label) =>
        -Math.Log(Math.Max(p.Length == 1 ? (label == 1 ? p[0] : 1 - p[0]) : p[label], 1e-7))).Average();

    private static double Accuracy(ReferenceOutputs reference) =>
        reference.Probabilities.Zip(reference.Labels, (p, label) => reference.Outputs.Class(p) == label).Average(hit => hit ? 1.0 : 0.0);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
