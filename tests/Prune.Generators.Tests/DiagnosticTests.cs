using Microsoft.CodeAnalysis;

namespace Prune.Generators.Tests;

/// <summary>
/// One deliberately broken model per diagnostic code: the generator reports exactly that code, at the exact
/// line and column of the offending attribute (or declaration), and emits no code for the broken model.
/// </summary>
public class DiagnosticTests
{
    // Line 1: using, 2: namespace, 3: [Model(...)], 4: extra class attribute or the class, then the body.
    private static string Model(string shape, string body, string classAttribute = "", string declaration = "public partial class Broken") =>
        "using Prune;\nnamespace Tests;\n[Model(" + shape + ")]\n" + (classAttribute.Length > 0 ? classAttribute + "\n" : "")
        + declaration + "\n{\n" + body + "\n}\n";

    public static TheoryData<string, string, int, int> Cases => new()
    {
        { "PRUNE001", Model("4", "    [Dense(2)] Layer output;", declaration: "public class Broken"), 4, 14 },
        { "PRUNE002", "using Prune;\nnamespace Tests;\npublic partial class Outer\n{\n    [Model(4)]\n    public partial class Inner\n    {\n        [Dense(2)] Layer output;\n    }\n}\n", 6, 26 },
        { "PRUNE003", Model("4", "    [Dense(2)] Layer output;", declaration: "public partial class Broken : System.Exception"), 4, 31 },
        { "PRUNE004", Model("4", "    [Dense(2)] Layer output;\n    public Broken() { }"), 7, 12 },
        { "PRUNE005", Model("1, 28", "    [Dense(2)] Layer output;"), 3, 2 },
        { "PRUNE006", Model("4", "    int notALayer;"), 4, 22 },
        { "PRUNE007", Model("4", "    [Dense(2)] int output;"), 6, 6 },
        { "PRUNE008", Model("4", "    [Dense(2), Flatten] Layer output;"), 6, 16 },
        { "PRUNE009", Model("1, 8, 8", "    [Conv2D(0, 3)] Layer conv;"), 6, 6 },
        { "PRUNE010", Model("1, 4, 4", "    [Conv2D(8, 5)] Layer conv;"), 6, 6 },
        { "PRUNE011", Model("30", "    [MaxPool2D] Layer pool;"), 6, 6 },
        { "PRUNE012", Model("1, 28, 28", "    [Dense(10)] Layer output;"), 6, 6 },
        { "PRUNE013", Model("1, 2, 2", "    [MaxPool2D(3)] Layer pool;"), 6, 6 },
        { "PRUNE014", Model("4", "    [Dense(2), Prune(1.5)] Layer output;"), 6, 16 },
        { "PRUNE015", Model("4", "    [Dense(2), Prune] Layer output;", "[PolynomialDecay(0, 0.5, beginStep: 100, endStep: 10)]"), 4, 2 },
        { "PRUNE016", Model("4", "    [Dense(2), Prune] Layer output;", "[PolynomialDecay(0, 0.5, 0, 100, power: 0)]"), 4, 2 },
        { "PRUNE017", Model("4", "    [Dense(2), Prune] Layer output;"), 6, 16 },
        { "PRUNE018", Model("1, 4, 4", "    [Flatten, Prune(0.5)] Layer flatten;"), 6, 15 },
        { "PRUNE019", Model("4", "    [Dense(2)] Layer dense;\n    [BatchNorm, Prune(0.5)] Layer norm;"), 7, 17 },
        { "PRUNE020", Model("4", "    [Dense(2), Prune(0.5), ConstantSparsity(0.3)] Layer output;"), 6, 28 },
        { "PRUNE021", Model("30", "    [Dense(16), Prune(0.5), BlockSparsity(17, 4)] Layer hidden;"), 6, 29 },
        { "PRUNE022", Model("30", "    [Dense(16), Prune(0.5), MByNSparsity(2, 4)] Layer hidden;"), 6, 29 },
        { "PRUNE023", Model("4", "    [Dense(2, activation: (Activation)42)] Layer output;"), 6, 6 },
        { "PRUNE024", Model("4", "    [Dense(2)] Layer output;", "[Training(BatchSize = 0)]"), 4, 2 },
        { "PRUNE025", Model("4", "    [Dense(2)] Layer output;\n    [Prune(0.5)] int notALayer;"), 7, 6 },
        { "PRUNE026", Model("4", "    [Dense(2), ConstantSparsity(0.5)] Layer output;"), 6, 16 },
        { "PRUNE027", Model("4", "    [Dense(2, activation: Activation.Relu)] Layer hidden;\n    [BatchNorm] Layer norm;"), 7, 6 },
        { "PRUNE028", "using Prune;\nnamespace Tests;\npublic partial class Broken\n{\n    [Dense(2)] Layer output;\n}\n", 3, 22 },
        { "PRUNE029", Model("4", "    [Dense(2), Prune] Layer output;", "[PolynomialDecay(initialSparsity: 0.8, finalSparsity: 0.2, beginStep: 0, endStep: 100)]"), 4, 2 },
        { "PRUNE030", Model("1, 8, 8", "    [Conv2D(4, 3)] Layer conv;\n    [MaxPool2D(2)] Layer pool;"), 7, 6 },
        { "PRUNE031", Model("4", "    [Dense(4), Prune(0.1), FilterSparsity] Layer hidden;\n    [Dense(2)] Layer output;"), 6, 28 },
        { "PRUNE032", Model("4", "    [Dense(4)] Layer hidden;\n    [Dense(2), Prune(0.5), FilterSparsity] Layer output;"), 7, 28 },
        { "PRUNE033", Model("1, 8, 8", "    [Conv2D(4, 3, padding: Padding.Same)] Layer a;\n    [Conv2D(6, 3, padding: Padding.Same)] Layer b;\n    [Add(nameof(a))] Layer join;"), 8, 6 },
        { "PRUNE034", Model("4", "    [Dense(4)] Layer a;\n    [Dense(2, Input = \"missing\")] Layer b;"), 7, 6 },
        { "PRUNE035", Model("4", "    [Dense(4)] Layer a;\n    [Dense(3)] Layer unread;\n    [Dense(2, Input = nameof(a))] Layer output;"), 7, 6 },
        { "PRUNE036", Model("3, 8, 8", "    [Conv2D(2, 3)] Layer conv;\n    [GlobalAveragePool2D] Layer pool;", "[Normalize(mean: new[] { 1.0, 2.0 }, std: new[] { 1.0 })]"), 4, 2 },
    };

    /// <summary>More ways to reach some codes: model-level settings, inherited patterns, other arguments.</summary>
    public static TheoryData<string, string, int, int> MoreCases => new()
    {
        // A model-level pattern that does not fit a layer is reported at that layer's [Prune].
        { "PRUNE021", Model("30", "    [Dense(16), Prune] Layer hidden;", "[ConstantSparsity(0.5), BlockSparsity(4, 31)]"), 7, 17 },
        { "PRUNE022", Model("4", "    [Dense(2), Prune(0.5), MByNSparsity(3, 2)] Layer output;"), 6, 28 },
        // [Normalize] on features, and with a std that divides by zero.
        { "PRUNE036", Model("4", "    [Dense(2)] Layer output;", "[Normalize(new[] { 0.0 }, new[] { 1.0 })]"), 4, 2 },
        { "PRUNE036", Model("1, 8, 8", "    [Conv2D(2, 3)] Layer conv;\n    [GlobalAveragePool2D] Layer pool;", "[Normalize(new[] { 33.0 }, new[] { 0.0 })]"), 4, 2 },
        { "PRUNE027", Model("4", "    [BatchNorm] Layer norm;\n    [Dense(2)] Layer output;"), 6, 6 },
        { "PRUNE027", Model("1, 8, 8", "    [Conv2D(2, 3)] Layer conv;\n    [MaxPool2D(2)] Layer pool;\n    [BatchNorm] Layer norm;"), 8, 6 },
        { "PRUNE022", Model("6, 8, 8", "    [Conv2D(4, 2), Prune(0.5), MByNSparsity(2, 4)] Layer conv;"), 6, 32 }, // 2·2·6 = 24 inputs, but 6 channels
        { "PRUNE020", Model("4", "    [Dense(2), Prune] Layer output;", "[ConstantSparsity(0.5), PolynomialDecay(0, 0.5, 0, 10)]"), 4, 25 },
        { "PRUNE020", Model("8", "    [Dense(4), Prune(0.5), BlockSparsity(2, 2), MByNSparsity(2, 4)] Layer output;"), 6, 49 },
        { "PRUNE015", Model("4", "    [Dense(2), Prune] Layer output;", "[PolynomialDecay(0, 0.5, 0, -1)]"), 4, 2 },
        { "PRUNE015", Model("4", "    [Dense(2), Prune, ConstantSparsity(0.5, frequency: 0)] Layer output;"), 6, 23 },
        { "PRUNE014", Model("4", "    [Dense(2), Prune] Layer output;", "[PolynomialDecay(0, 1, 0, 10)]"), 4, 2 },
        { "PRUNE013", Model("1, 28, 28", "    [Conv2D(8, 3)] Layer conv;\n    [AveragePool2D(27)] Layer pool;"), 7, 6 },
        { "PRUNE012", Model("1, 28, 28", "    [Conv2D(8, 3)] Layer conv;\n    [Dropout(0.5)] Layer dropout;\n    [Dense(10)] Layer output;"), 8, 6 },
        { "PRUNE011", Model("30", "    [GlobalAveragePool2D] Layer pool;"), 6, 6 },
        { "PRUNE009", Model("4", "    [Dropout(1.0)] Layer dropout;"), 6, 6 },
        { "PRUNE023", Model("1, 8, 8", "    [Conv2D(4, 3, padding: (Padding)7)] Layer conv;"), 6, 6 },
        { "PRUNE023", Model("4", "    [Dense(2)] Layer output;", "[Training(Optimizer = (Optimizer)9)]"), 4, 2 },
        { "PRUNE024", Model("4", "    [Dense(2)] Layer output;", "[Training(LearningRate = 0)]"), 4, 2 },
        { "PRUNE007", Model("4", "    [Dense(2)] Prune.Model output;"), 6, 6 },
        { "PRUNE007", Model("4", "    [Dense(2)] static Layer output;"), 6, 6 },
        { "PRUNE029", Model("4", "    [Dense(2), Prune, PolynomialDecay(0.5, 0.1, 0, 10)] Layer output;"), 6, 23 },
        // A target that would keep no channel: round(4 · 0.1) = 0.
        { "PRUNE031", Model("4", "    [Dense(4), Prune(0.9), FilterSparsity] Layer hidden;\n    [Dense(2)] Layer output;"), 6, 28 },
        // 26 of 32 in tfmot's count, whose nearest multiple of 16 is all 32.
        { "PRUNE031", Model("4", "    [Dense(32), Prune(0.2), FilterSparsity] Layer hidden;\n    [Dense(2)] Layer output;"), 6, 29 },
        // The model's filter pattern on its last layer: reported at that layer's [Prune].
        { "PRUNE032", Model("4", "    [Dense(4), Prune] Layer hidden;\n    [Dense(2), Prune] Layer output;", "[ConstantSparsity(0.5), FilterSparsity]"), 8, 16 },
        // A depthwise layer's channels are its input's.
        { "PRUNE032", Model("2, 8, 8", "    [DepthwiseConv2D(3), Prune(0.5), FilterSparsity] Layer depthwise;\n    [Flatten] Layer flatten;\n    [Dense(2)] Layer output;"), 6, 38 },
        // Network slimming needs a BatchNorm after the layer.
        { "PRUNE032", Model("4", "    [Dense(4), Prune(0.5), FilterSparsity(FilterCriterion.BatchNormScale)] Layer hidden;\n    [Dense(2)] Layer output;"), 6, 28 },
        // Channels an Add sums are removed from every layer that makes them: reported at the [FilterSparsity] of the first
        // filter-pruned one, when another is not filter-pruned, is pruned otherwise, or is the model's input.
        { "PRUNE032", ResidualUnpruned, 7, 55 },
        { "PRUNE032", ResidualUnlike, 6, 55 },
        { "PRUNE032", ResidualOnModelInput, 7, 55 },
        { "PRUNE032", BlockAfterUnprunedStem, 7, 33 },
        // Inverted residuals: block3's first Add joins block2's project conv to block3's, pruned otherwise, or not at all.
        { "PRUNE032", InvertedResidualUnlike, 7, 54 },
        { "PRUNE032", InvertedResidualUnpruned, 7, 54 },
        { "PRUNE020", Model("8", "    [Dense(4), Prune(0.5), BlockSparsity(2, 2), FilterSparsity] Layer hidden;\n    [Dense(2)] Layer output;"), 6, 49 },
        { "PRUNE023", Model("4", "    [Dense(4), Prune(0.5), FilterSparsity((FilterCriterion)7)] Layer hidden;\n    [Dense(2)] Layer output;"), 6, 28 },
        // A BatchNorm folds into the layer it reads, not the one declared before it: here an activated Dense.
        { "PRUNE027", Model("4", "    [Dense(4, activation: Activation.Relu)] Layer hidden;\n    [Dense(4)] Layer other;\n    [BatchNorm(Input = nameof(hidden))] Layer norm;\n    [Add(nameof(other))] Layer join;"), 8, 6 },
        // Through a Dropout, which passes its input through at inference.
        { "PRUNE027", Model("4", "    [Dense(4, activation: Activation.Relu)] Layer hidden;\n    [Dropout(0.5)] Layer dropout;\n    [Dense(4)] Layer other;\n    [BatchNorm(Input = nameof(dropout))] Layer norm;\n    [Add(nameof(other))] Layer join;"), 9, 6 },
        // The layer a BatchNorm folds into has another reader (here the Add), directly or through a Dropout.
        { "PRUNE027", NormBesideItsLayer, 7, 6 },
        { "PRUNE027", Model("2, 8, 8", "    [Conv2D(4, 3, padding: Padding.Same)] Layer conv;\n    [Dropout(0.5)] Layer dropout;\n    [BatchNorm(activation: Activation.Relu)] Layer norm;\n    [Add(nameof(dropout))] Layer join;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;"), 8, 6 },
        // An Add's shortcut, or an Input naming a later layer or the layer itself.
        { "PRUNE034", Model("4", "    [Dense(4)] Layer a;\n    [Add(\"b\")] Layer join;\n    [Dense(4)] Layer b;"), 7, 6 },
        { "PRUNE034", Model("4", "    [Dense(4, Input = nameof(b))] Layer a;\n    [Dense(4)] Layer b;"), 6, 6 },
        { "PRUNE034", Model("1, 8, 8", "    [Conv2D(4, 3)] Layer stem;\n    [BasicBlock(4, Input = \"nothing\")] Layer block;\n    [GlobalAveragePool2D] Layer pool;"), 7, 6 },
        // A block's output that no layer reads, in a model that reads past it.
        { "PRUNE035", Model("1, 8, 8", "    [Conv2D(4, 3)] Layer stem;\n    [BasicBlock(4)] Layer block;\n    [GlobalAveragePool2D(Input = nameof(stem))] Layer pool;"), 7, 6 },
        // An Add of a block's output (named by its field) to a layer of another shape.
        { "PRUNE033", Model("1, 8, 8", "    [Conv2D(4, 3)] Layer stem;\n    [BasicBlock(8, stride: 2)] Layer block;\n    [Add(nameof(stem), Input = nameof(block))] Layer join;"), 8, 6 },
        // A block needs a layer to add back: not the model's input; and at least one repetition.
        { "PRUNE009", Model("1, 8, 8", "    [BasicBlock(4)] Layer block;\n    [GlobalAveragePool2D] Layer pool;"), 6, 6 },
        { "PRUNE009", Model("1, 8, 8", "    [Conv2D(4, 3)] Layer stem;\n    [InvertedResidual(6, 4, repeat: 0)] Layer block;\n    [GlobalAveragePool2D] Layer pool;"), 7, 6 },
        // A block's layer named like another field, declared after the block or before it.
        { "PRUNE009", Model("1, 8, 8", "    [Conv2D(4, 3)] Layer stem;\n    [Conv2D(4, 1)] Layer block_0_add;\n    [BasicBlock(4)] Layer block;\n    [GlobalAveragePool2D] Layer pool;"), 8, 6 },
        { "PRUNE009", Model("1, 8, 8", "    [Conv2D(4, 3)] Layer stem;\n    [BasicBlock(4)] Layer block;\n    [Conv2D(4, 1)] Layer block_0_add;\n    [GlobalAveragePool2D] Layer pool;"), 8, 6 },
    };

    private static readonly string ResidualUnpruned = Model("1, 8, 8",
        "    [Conv2D(4, 3, padding: Padding.Same)] Layer a;\n    [Conv2D(4, 3, padding: Padding.Same), Prune(0.5), FilterSparsity] Layer b;\n    [Add(nameof(a))] Layer join;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;");

    private static readonly string ResidualUnlike = Model("1, 8, 8",
        "    [Conv2D(4, 3, padding: Padding.Same), Prune(0.5), FilterSparsity] Layer a;\n    [Conv2D(4, 3, padding: Padding.Same), Prune(0.25), FilterSparsity] Layer b;\n    [Add(nameof(a))] Layer join;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;");

    private static readonly string ResidualOnModelInput = Model("2, 8, 8",
        "    [Dropout(0.1)] Layer dropout;\n    [Conv2D(2, 3, padding: Padding.Same), Prune(0.5), FilterSparsity] Layer conv;\n    [Add(nameof(dropout))] Layer join;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;");

    private static readonly string BlockAfterUnprunedStem = Model("1, 8, 8",
        "    [Conv2D(4, 3)] Layer stem;\n    [BasicBlock(4), Prune(0.5), FilterSparsity] Layer block;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;");

    private static readonly string InvertedResidualUnlike = Model("1, 16, 16",
        "    [Conv2D(16, 3, stride: 2, padding: Padding.Symmetric)] Layer stem;\n    [InvertedResidual(6, 24, stride: 2), Prune(0.5), FilterSparsity] Layer block2;\n"
        + "    [InvertedResidual(6, 24, repeat: 2), Prune(0.25), FilterSparsity] Layer block3;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;");

    private static readonly string InvertedResidualUnpruned = Model("1, 16, 16",
        "    [Conv2D(16, 3, stride: 2, padding: Padding.Symmetric)] Layer stem;\n    [InvertedResidual(6, 24, stride: 2), Prune(0.5), FilterSparsity] Layer block2;\n"
        + "    [InvertedResidual(6, 24, repeat: 2)] Layer block3;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;");

    private static readonly string NormBesideItsLayer = Model("2, 8, 8",
        "    [Conv2D(4, 3, padding: Padding.Same)] Layer conv;\n    [BatchNorm(activation: Activation.Relu)] Layer norm;\n    [Add(nameof(conv))] Layer join;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;");

    /// <summary>What the residual cases say: the layers an Add joins, the Add, and why they cannot be pruned so.</summary>
    public static TheoryData<string, string> ResidualMessages => new()
    {
        { ResidualUnpruned, "Layer 'b': the Add 'join' sums its output channels with those of 'a', so they are removed together, but 'a' is not filter-pruned; give 'a' the same [Prune] and [FilterSparsity] (criterion and schedule) as 'b', or filter-prune neither" },
        { ResidualUnlike, "Layer 'a': the Add 'join' sums its output channels with those of 'b', so they are removed together, but 'b' is filter-pruned with another criterion or schedule" },
        { ResidualOnModelInput, "Layer 'conv': the Add 'join' sums its output channels with the model's input, whose channels cannot be removed" },
        { BlockAfterUnprunedStem, "Layer 'block_0_conv2' (of block 'block'): the Add 'block_0_add' sums its output channels with those of 'stem', so they are removed together, but 'stem' is not filter-pruned; give 'stem' the same [Prune] and [FilterSparsity] (criterion and schedule) as 'block', or filter-prune neither" },
        { InvertedResidualUnlike, "Layer 'block2_0_project' (of block 'block2'): the Add 'block3_0_add' sums its output channels with those of 'block3_0_project' (of block 'block3'), so they are removed together, but 'block3_0_project' is filter-pruned with another criterion or schedule; give 'block3' the same [Prune] and [FilterSparsity] (criterion and schedule) as 'block2', or filter-prune neither" },
        { InvertedResidualUnpruned, "Layer 'block2_0_project' (of block 'block2'): the Add 'block3_0_add' sums its output channels with those of 'block3_0_project' (of block 'block3'), so they are removed together, but 'block3_0_project' is not filter-pruned; give 'block3' the same [Prune] and [FilterSparsity] (criterion and schedule) as 'block2', or filter-prune neither" },
        { NormBesideItsLayer, "BatchNorm 'norm' folds into 'conv', whose output is also read by 'join': a .tflite file has no batch-norm op" },
    };

    [Theory]
    [MemberData(nameof(ResidualMessages))]
    public void A_residual_mistake_names_the_layers_joined_and_why(string source, string message)
    {
        var run = GeneratorHarness.Run(source);

        Assert.Contains(message, Assert.Single(run.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_that_does_not_fit_a_block_s_layer_names_the_layer_with_its_block()
    {
        // 0.05 of the expansion's 96 channels keeps all of them (multiples of 16): the block's [Prune] is what to change.
        var run = GeneratorHarness.Run(Model("1, 16, 16",
            "    [Conv2D(16, 3, stride: 2, padding: Padding.Symmetric)] Layer stem;\n    [InvertedResidual(6, 24, stride: 2), Prune(0.05), FilterSparsity] Layer block2;\n"
            + "    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;"));

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("PRUNE031", diagnostic.Id);
        Assert.StartsWith("Layer 'block2_0_expand' (of block 'block2'): filter pruning to sparsity 0.05", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>Residual models whose joined layers are filter-pruned alike: declared on each layer and block (at different
    /// attributes), or inherited from the model and ranked by the BatchNorms' scales; the first joins the stem to the
    /// blocks (identity shortcuts), the second a projection shortcut to a block; the third ranks by a BatchNorm on its branch.</summary>
    public static TheoryData<string> ResidualFilterPruningDoneRight => new()
    {
        Model("1, 8, 8", "    [Conv2D(4, 3), Prune(0.5), FilterSparsity] Layer stem;\n    [BasicBlock(4, repeat: 2), Prune(0.5), FilterSparsity] Layer block;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;"),
        Model("1, 8, 8", "    [Conv2D(4, 3), Prune] Layer stem;\n    [BatchNorm(activation: Activation.Relu)] Layer norm;\n    [BasicBlock(8, stride: 2), Prune] Layer block;\n    [BasicBlock(8), Prune] Layer next;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;",
            "[ConstantSparsity(0.5), FilterSparsity(FilterCriterion.BatchNormScale)]"),
        // The BatchNorm that ranks a's channels reads it, though another branch's layer is declared between them.
        Model("1, 8, 8", "    [Conv2D(4, 3, padding: Padding.Same)] Layer stem;\n    [Conv2D(4, 3, padding: Padding.Same), Prune(0.5), FilterSparsity(FilterCriterion.BatchNormScale)] Layer a;\n"
            + "    [Conv2D(4, 3, padding: Padding.Same, Input = nameof(stem))] Layer b;\n    [BatchNorm(Input = nameof(a))] Layer norm;\n    [Conv2D(4, 3, padding: Padding.Same)] Layer c;\n"
            + "    [Add(nameof(b))] Layer join;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;"),
    };

    /// <summary>MobileNetV2 in miniature, every convolution filter-pruned alike: an expansion-1 block whose Add joins the
    /// stem, a stride-2 block, a row of three whose Adds join their project convolutions; declared on each field, or
    /// inherited from the model and ranked by the BatchNorms' scales. A block's depthwise convolution follows its
    /// expansion's channels (<c>BlockKind.Prunes</c>), so its tied channels are not reported.</summary>
    public static TheoryData<string> InvertedResidualsFilterPruned => new()
    {
        Model("3, 32, 32", MobileNetV2Like("Prune(0.5), FilterSparsity")),
        Model("3, 32, 32", MobileNetV2Like("Prune"), "[ConstantSparsity(0.5), FilterSparsity(FilterCriterion.BatchNormScale)]"),
    };

    private static string MobileNetV2Like(string pruning) =>
        $"    [Conv2D(16, 3, stride: 2, padding: Padding.Symmetric, useBias: false), {pruning}] Layer stem;\n    [BatchNorm(activation: Activation.Relu6)] Layer stem_bn;\n"
        + $"    [InvertedResidual(1, 16), {pruning}] Layer block1;\n    [InvertedResidual(6, 24, stride: 2), {pruning}] Layer block2;\n"
        + $"    [InvertedResidual(6, 32, stride: 2, repeat: 3), {pruning}] Layer block3;\n    [Conv2D(64, 1, useBias: false), {pruning}] Layer head;\n"
        + "    [BatchNorm(activation: Activation.Relu6)] Layer head_bn;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(10)] Layer classifier;";

    [Theory]
    [MemberData(nameof(ResidualFilterPruningDoneRight))]
    [MemberData(nameof(InvertedResidualsFilterPruned))]
    public void A_residual_model_whose_joined_layers_are_filter_pruned_alike_compiles(string source)
    {
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        Assert.Single(run.Sources);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(MoreCases))]
    public void Broken_model_reports_the_code_at_the_offending_attribute(string id, string source, int line, int column)
    {
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.Diagnostics);
        var position = diagnostic.Location.GetLineSpan();
        Assert.Equal((id, GeneratorHarness.ModelPath, line, column),
            (diagnostic.Id, position.Path, position.StartLinePosition.Line + 1, position.StartLinePosition.Character + 1));
        if (diagnostic.Severity == DiagnosticSeverity.Error) Assert.Empty(run.Sources);
        // Whatever the generator leaves out, the user's program still compiles: no follow-on compiler errors.
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Every_code_in_the_catalog_has_a_test_case_a_release_entry_and_a_row_in_the_docs()
    {
        var catalog = typeof(ModelGenerator).Assembly.GetType("Prune.Generators.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id).Order().ToList();
        var tested = Cases.Select(c => (string)c[0]).Order().ToList();
        var releases = File.ReadAllText(Path.Combine(RepositoryRoot(), "src/Prune.Generators/AnalyzerReleases.Unshipped.md"));
        var documented = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs/diagnostics.md"));
        var testingDoc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs/testing.md"));

        Assert.Equal(catalog, tested);
        Assert.All(catalog, id => Assert.Contains(id + " |", releases, StringComparison.Ordinal));
        Assert.All(catalog, id => Assert.Contains("| " + id + " |", documented, StringComparison.Ordinal));
        Assert.All(catalog, id => Assert.Contains("| " + id + " |", testingDoc, StringComparison.Ordinal));
    }

    [Fact]
    public void A_filter_target_that_rounds_to_all_channels_names_one_that_removes_some()
    {
        var run = GeneratorHarness.Run(Model("4", "    [Dense(32), Prune(0.2), FilterSparsity] Layer hidden;\n    [Dense(2)] Layer output;"));

        var message = Assert.Single(run.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("would keep 26 of its 32 output channels, and above 16 it keeps the nearest multiple of 16", message, StringComparison.Ordinal);
        Assert.Contains("raise the target to at least 0.5 (keeps 16)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_BatchNorm_folds_into_the_layer_it_reads_even_after_an_activated_layer()
    {
        // 'other' reads 'stem', not 'hidden': the BatchNorm is the only reader of the output it folds into.
        var run = GeneratorHarness.Run(Model("4",
            "    [Dense(4)] Layer stem;\n    [Dense(4)] Layer hidden;\n    [Dense(4, activation: Activation.Relu, Input = nameof(stem))] Layer other;\n    [BatchNorm(Input = nameof(hidden))] Layer norm;\n    [Add(nameof(other))] Layer join;"));

        Assert.Empty(run.Diagnostics.Select(GeneratorRun.Describe));
        Assert.Single(run.Sources);
    }

    [Fact]
    public void A_pruning_mistake_on_a_block_is_reported_once_for_all_its_layers()
    {
        var run = GeneratorHarness.Run(Model("1, 8, 8",
            "    [Conv2D(4, 3)] Layer stem;\n    [BasicBlock(8, stride: 2), ConstantSparsity(0.5)] Layer block;\n    [GlobalAveragePool2D] Layer pool;\n    [Dense(2)] Layer output;"));

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("PRUNE026", diagnostic.Id);
        Assert.Contains("Layer 'block' has [ConstantSparsity] but no [Prune]", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_is_not_a_model_class()
    {
        var run = GeneratorHarness.Run(Model("4", "    [Dense(2)] Layer output;", declaration: "public partial record Broken"));

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(("PRUNE002", 4, 23), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1, diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1));
        Assert.Contains("cannot be a record", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Layer_attributes_without_a_model_are_reported_once_per_class_naming_every_field()
    {
        var run = GeneratorHarness.Run(
            "using Prune;\nnamespace Tests;\npublic partial class Forgotten\n{\n    [Conv2D(4, 3)] Layer conv;\n}\n"
            + "public partial class Forgotten\n{\n    [Flatten] Layer flatten;\n    [Dense(2)] Layer output;\n    int count;\n}\n"
            + "public class Unrelated\n{\n    int count;\n}\n");

        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(("PRUNE028", 3, 22), (diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1, diagnostic.Location.GetLineSpan().StartLinePosition.Character + 1));
        Assert.Contains("Class 'Forgotten' has layer attributes ([Conv2D] conv, [Flatten] flatten, [Dense] output) but no [Model]",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_model_with_several_mistakes_reports_each_of_them()
    {
        var run = GeneratorHarness.Run(Model("1, 28, 28",
            "    [Conv2D(8, 3), Prune(2)] Layer conv;\n    [MaxPool2D, Prune(0.5)] Layer pool;\n    [Dense(10)] Layer output;",
            "[Training(Epochs = -1)]"));

        Assert.Equal(["PRUNE024", "PRUNE014", "PRUNE018", "PRUNE012"], run.Diagnostics.Select(d => d.Id));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_layer_that_does_not_fit_its_input_gets_no_follow_on_errors()
    {
        var run = GeneratorHarness.Run(Model("1, 28, 28",
            "    [Dense(10), Prune(0.5), BlockSparsity(3, 3)] Layer hidden;\n    [Dense(5), Prune(0.5), MByNSparsity(2, 4)] Layer output;"));

        Assert.Equal(["PRUNE012"], run.Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void An_attribute_the_compiler_rejects_gets_no_second_error_and_no_code()
    {
        var run = GeneratorHarness.Run(Model("1, 28, 28", "    [Conv2D(\"eight\", 3)] Layer conv;"));

        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Sources);
        Assert.Contains(run.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Messages_format_numbers_with_the_invariant_culture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // The build runs with invariant globalization, so make a German-style culture by hand: decimal comma.
            var german = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            german.NumberFormat.NumberDecimalSeparator = ",";
            System.Globalization.CultureInfo.CurrentCulture = german;
            var broken = GeneratorHarness.Run(Model("4", "    [Dense(2), Prune(1.5)] Layer output;"));
            var valid = GeneratorHarness.Run(Model("4", "    [Dense(2), Prune(0.25)] Layer output;", "[Training(LearningRate = 0.5)]"));

            Assert.Equal("1,5", 1.5.ToString(System.Globalization.CultureInfo.CurrentCulture));
            Assert.Contains("but is 1.5", Assert.Single(broken.Diagnostics).GetMessage(System.Globalization.CultureInfo.CurrentCulture), StringComparison.Ordinal);
            var generated = Assert.Single(valid.Sources).SourceText.ToString();
            Assert.Contains("targetSparsity: 0.25,", generated, StringComparison.Ordinal);
            Assert.Contains("LearningRate = 0.5,", generated, StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Prune.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Prune.sln not found above " + AppContext.BaseDirectory);
    }
}
