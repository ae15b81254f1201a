namespace Prune.Generators.Tests;

/// <summary>The model declarations the generator tests run on, one per scenario.</summary>
internal static class Scenarios
{
    /// <summary>
    /// The scenarios with a committed snapshot, by name: the one list the snapshot tests, the "committed" check and
    /// the orphan check read.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Snapshotted = new Dictionary<string, string>
    {
        [nameof(SeedCnn)] = SeedCnn,
        [nameof(LayerSpecific)] = LayerSpecific,
        [nameof(Tabular)] = Tabular,
        [nameof(EveryLayer)] = EveryLayer,
        [nameof(FilterPruned)] = FilterPruned,
        [nameof(Residual)] = Residual,
    };

    /// <summary>The seed's CNN: a model-level schedule for every [Prune] layer; the last layer's own target wins.</summary>
    public const string SeedCnn = """
        using Prune;

        namespace Samples.Mnist;

        [Model(1, 28, 28)]
        [PolynomialDecay(0.0, 0.8, beginStep: 0, endStep: 1800)]
        [Training(Epochs = 3, FineTuneEpochs = 2, BatchSize = 64)]
        public partial class MnistCnn
        {
            [Conv2D(32, 3, activation: Activation.Relu), Prune] Layer conv1;
            [MaxPool2D(2)] Layer pool1;
            [Conv2D(64, 3, activation: Activation.Relu), Prune] Layer conv2;
            [MaxPool2D(2)] Layer pool2;
            [Flatten] Layer flatten;
            [Dense(128, activation: Activation.Relu), Prune] Layer fc1;
            [Dense(10), Prune(0.5)] Layer logits;
        }
        """;

    /// <summary>tfmot's layer-specific pruning: only marked layers, each with its own schedule and pattern.</summary>
    public const string LayerSpecific = """
        using Prune;

        namespace Samples.Mnist;

        [Model(1, 28, 28)]
        [Training(Optimizer = Optimizer.Sgd, LearningRate = 0.02, Momentum = 0.8, Epochs = 1, FineTuneEpochs = 1, Seed = 7)]
        public partial class LayerSpecificCnn
        {
            [Conv2D(16, 3, padding: Padding.Same, activation: Activation.Relu)] Layer conv1;
            [MaxPool2D] Layer pool1;
            [Conv2D(32, 3, activation: Activation.Relu), Prune, ConstantSparsity(0.6, beginStep: 100, frequency: 50)] Layer conv2;
            [Flatten] Layer flatten;
            [Dense(64, activation: Activation.Relu), Prune, PolynomialDecay(0.1, 0.9, 0, 1000, power: 2), BlockSparsity(4, 4, BlockPooling.Max)] Layer fc1;
            [Dense(10, activation: Activation.Softmax), Prune(0.5), MByNSparsity(2, 4)] Layer logits;
        }
        """;

    /// <summary>A dense model for the 30 features of the breast-cancer table.</summary>
    public const string Tabular = """
        using Prune;

        namespace Samples.Tabular;

        [Model(30)]
        [ConstantSparsity(0.5, beginStep: 0, frequency: 10)]
        [Training(LearningRate = 0.005, BatchSize = 32, Epochs = 20, FineTuneEpochs = 10)]
        public partial class BreastCancer
        {
            [Dense(16, activation: Activation.Relu), Prune] Layer hidden1;
            [Dense(8, activation: Activation.Relu), Prune] Layer hidden2;
            [Dense(1, activation: Activation.Sigmoid)] readonly Layer output;
        }
        """;

    /// <summary>Every layer kind, every padding, every pattern; in the global namespace with a keyword-named field.</summary>
    public const string EveryLayer = """
        using Prune;

        [Model(3, 32, 32)]
        [ConstantSparsity(0.4)]
        public partial class EveryLayer
        {
            [Conv2D(8, 3, stride: 2, padding: Padding.Same, useBias: false), Prune(0.3)] Layer conv;
            [BatchNorm(momentum: 0.9, epsilon: 1e-5, activation: Activation.Relu6)] Layer norm;
            [DepthwiseConv2D(3, depthMultiplier: 2, padding: Padding.Same, activation: Activation.Tanh), Prune, ConstantSparsity(0.25), BlockSparsity(2, 3)] Layer depthwise;
            [MaxPool2D(3, stride: 2, padding: Padding.Same)] Layer maxPool;
            [AveragePool2D(2)] Layer averagePool;
            [Dropout(0.25)] Layer dropout;
            [GlobalAveragePool2D] Layer pool;
            [Flatten] Layer flatten;
            [Dense(16)] Layer features;
            [BatchNorm(activation: Activation.Relu)] Layer featureNorm;
            [Dense(12, activation: Activation.Sigmoid), Prune, PolynomialDecay(0.2, 0.7, 10, 20, power: 1.5, frequency: 5), MByNSparsity(2, 4)] Layer @fixed;
            [Dense(10, activation: Activation.Softmax)] Layer output;
        }
        """;

    /// <summary>Filter pruning: the model's pattern and criterion for every [Prune] layer, a layer's own criterion winning.</summary>
    public const string FilterPruned = """
        using Prune;

        namespace Samples.Mnist;

        [Model(1, 28, 28)]
        [PolynomialDecay(0.0, 0.5, beginStep: 0, endStep: 1000), FilterSparsity]
        public partial class FilterPrunedCnn
        {
            [Conv2D(32, 3), Prune, FilterSparsity(FilterCriterion.BatchNormScale)] Layer conv1;
            [BatchNorm(activation: Activation.Relu)] Layer norm1;
            [MaxPool2D(2)] Layer pool1;
            [Conv2D(64, 3, activation: Activation.Relu), Prune] Layer conv2;
            [DepthwiseConv2D(3, depthMultiplier: 2)] Layer depthwise;
            [Flatten] Layer flatten;
            [Dense(128, activation: Activation.Relu), Prune(0.75), FilterSparsity(FilterCriterion.L2)] Layer fc1;
            [Dense(10)] Layer logits;
        }
        """;

    /// <summary>
    /// A small residual network: an Add joining a branch to the stem, a projection that reads an earlier layer through
    /// Input, then a pruned basic block (with its 1x1 projection) and an inverted residual that adds its input back.
    /// </summary>
    public const string Residual = """
        using Prune;

        namespace Samples.Residual;

        [Model(3, 16, 16)]
        [PolynomialDecay(0.0, 0.5, beginStep: 0, endStep: 100)]
        public partial class SmallResNet
        {
            [Conv2D(8, 3, padding: Padding.Same, useBias: false)] Layer stem;
            [BatchNorm(activation: Activation.Relu)] Layer stemNorm;
            [Conv2D(8, 3, padding: Padding.Same, activation: Activation.Relu)] Layer conv;
            [Add(nameof(stemNorm))] Layer join;
            [Conv2D(16, 3, stride: 2, padding: Padding.Same)] Layer down;
            [Conv2D(16, 1, stride: 2, Input = nameof(join))] Layer projection;
            [Add(nameof(down), activation: Activation.Relu)] Layer join2;
            [BasicBlock(32, stride: 2), Prune] Layer block;
            [InvertedResidual(2, 32)] Layer inverted;
            [GlobalAveragePool2D] Layer pool;
            [Dense(10)] Layer logits;
        }
        """;

    /// <summary>A model of <paramref name="layers"/> layers (convolutions, then dense layers), for timing.</summary>
    public static string Deep(int layers)
    {
        var lines = new List<string>();
        var convolutions = layers / 2;
        for (var i = 0; i < convolutions; i++)
            lines.Add($"    [Conv2D(8, 3, padding: Padding.Same, activation: Activation.Relu), Prune(0.5)] Layer conv{i};");
        lines.Add("    [GlobalAveragePool2D] Layer pool;");
        for (var i = convolutions + 1; i < layers; i++)
            lines.Add($"    [Dense(16, activation: Activation.Relu), Prune, BlockSparsity(4, 4)] Layer dense{i};");
        return "using Prune;\nnamespace Deep;\n[Model(3, 32, 32)]\n[PolynomialDecay(0, 0.8, 0, 1000)]\npublic partial class Deep\n{\n"
            + string.Join("\n", lines) + "\n}\n";
    }
}
