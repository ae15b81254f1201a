using Microsoft.CodeAnalysis;
using Prune.Specs.Rules;

namespace Prune.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the model generator reports, with its stable code. Codes are never reused; each one is
/// listed in AnalyzerReleases.Unshipped.md and explained, with an example and a fix, in docs/diagnostics.md.
/// A diagnostic for a rule a spec follows takes its whole message from that rule (Prune.Specs.Rules, shared with the
/// runtime); the others are about the C# declaration and are written here.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Prune.Model";

    /// <summary>The format of a diagnostic whose whole message comes from a rule of Prune.Specs.Rules, which the runtime throws too.</summary>
    private const string Message = "{0}";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ModelNotPartial = Error("PRUNE001",
        "Model class is not partial",
        "Model class '{0}' must be declared partial, so that Prune can add its layers");

    public static readonly DiagnosticDescriptor UnsupportedModelClass = Error("PRUNE002",
        "Model class cannot be generated",
        "Model class '{0}' cannot be {1}: declare it as a non-generic, non-static, non-abstract class directly in a namespace");

    public static readonly DiagnosticDescriptor ModelHasBaseClass = Error("PRUNE003",
        "Model class has a base class",
        "Model class '{0}' derives from '{1}'; remove the base class, Prune makes the class derive from Prune.Model");

    public static readonly DiagnosticDescriptor ModelDeclaresMember = Error("PRUNE004",
        "Model class declares a generated member",
        "Model class '{0}' declares {1}, which Prune provides; remove or rename it");

    public static readonly DiagnosticDescriptor InvalidInputShape = Error("PRUNE005",
        "Invalid input shape",
        Message);

    public static readonly DiagnosticDescriptor NoLayers = Error("PRUNE006",
        "Model has no layers",
        "Model class '{0}' declares no layers: add fields of type Layer with a layer attribute such as [Dense(10)]");

    public static readonly DiagnosticDescriptor InvalidLayerField = Error("PRUNE007",
        "Layer field has the wrong type or is static",
        "Field '{0}' declares a {1} layer, so it must be an instance field of type Prune.Layer; it is {2}");

    public static readonly DiagnosticDescriptor MultipleLayerAttributes = Error("PRUNE008",
        "Field declares two layers",
        "Field '{0}' already declares a {1} layer; a field holds one layer, so declare the {2} layer on its own field");

    public static readonly DiagnosticDescriptor InvalidLayerArgument = Error("PRUNE009",
        "Invalid layer argument",
        Message);

    public static readonly DiagnosticDescriptor KernelLargerThanInput = Error("PRUNE010",
        "Kernel larger than its input",
        Message);

    public static readonly DiagnosticDescriptor NeedsImageInput = Error("PRUNE011",
        "Layer needs an image input",
        Message);

    public static readonly DiagnosticDescriptor DenseNeedsFlatInput = Error("PRUNE012",
        "Dense layer on an image",
        Message);

    public static readonly DiagnosticDescriptor PoolingToZero = Error("PRUNE013",
        "Pooling down to zero size",
        Message);

    public static readonly DiagnosticDescriptor SparsityOutOfRange = Error("PRUNE014",
        "Sparsity out of range",
        Message);

    public static readonly DiagnosticDescriptor InvalidScheduleSteps = Error("PRUNE015",
        "Invalid schedule steps",
        Message);

    public static readonly DiagnosticDescriptor InvalidPower = Error("PRUNE016",
        "Invalid decay power",
        Message);

    public static readonly DiagnosticDescriptor PruneWithoutSchedule = Error("PRUNE017",
        "Pruned layer has no schedule",
        "Layer '{0}' is marked [Prune] but no schedule applies to it: give a target, e.g. [Prune(0.5)], or add [ConstantSparsity] or [PolynomialDecay] to the layer or the model");

    public static readonly DiagnosticDescriptor PruneLayerWithoutWeights = Error("PRUNE018",
        "Pruned layer has no weights",
        Message);

    public static readonly DiagnosticDescriptor PruneFoldedLayer = Error("PRUNE019",
        "BatchNorm cannot be pruned",
        Message);

    public static readonly DiagnosticDescriptor ConflictingSchedules = Error("PRUNE020",
        "Conflicting pruning settings",
        "{0} declares both {1} and {2}; keep one");

    public static readonly DiagnosticDescriptor BlockDoesNotFit = Error("PRUNE021",
        "Block shape does not fit the layer",
        Message);

    public static readonly DiagnosticDescriptor MByNDoesNotFit = Error("PRUNE022",
        "m:n sparsity does not fit the layer",
        Message);

    public static readonly DiagnosticDescriptor UnknownEnumValue = Error("PRUNE023",
        "Unknown activation or option",
        "{0} is not a known {1}; use one of {2}");

    public static readonly DiagnosticDescriptor InvalidTrainingSetting = Error("PRUNE024",
        "Invalid training setting",
        Message);

    public static readonly DiagnosticDescriptor PruningSettingWithoutLayer = Error("PRUNE025",
        "Pruning setting on a field that is not a layer",
        "Field '{0}' has [{1}] but no layer attribute; put it on a layer field, or add the layer attribute");

    public static readonly DiagnosticDescriptor ScheduleWithoutPrune = Warning("PRUNE026",
        "Pruning setting on a layer that is not pruned",
        "Layer '{0}' has [{1}] but no [Prune], so it is not pruned and the setting has no effect; add [Prune] or remove the setting");

    public static readonly DiagnosticDescriptor BatchNormCannotFold = Error("PRUNE027",
        "BatchNorm cannot be folded into the layer before it",
        Message);

    public static readonly DiagnosticDescriptor LayersWithoutModel = Warning("PRUNE028",
        "Layer attributes in a class without [Model]",
        "Class '{0}' has layer attributes ({1}) but no [Model], so Prune generates nothing for it: add [Model(...)] with the shape of one input sample, e.g. [Model(1, 28, 28)] for images or [Model(30)] for 30 features");

    public static readonly DiagnosticDescriptor DecreasingSparsity = Warning("PRUNE029",
        "Sparsity decreases over the schedule",
        Message);

    public static readonly DiagnosticDescriptor OutputNotAVector = Error("PRUNE030",
        "Model output is not one value per class",
        Message);

    public static readonly DiagnosticDescriptor FilterTargetDoesNotFit = Error("PRUNE031",
        "Filter pruning target does not fit the layer",
        Message);

    public static readonly DiagnosticDescriptor FilterCannotBeRemoved = Error("PRUNE032",
        "Filter pruning cannot remove this layer's channels",
        Message);

    public static readonly DiagnosticDescriptor AddShapesDiffer = Error("PRUNE033",
        "Added outputs differ in shape",
        Message);

    public static readonly DiagnosticDescriptor UnknownInput = Error("PRUNE034",
        "Layer reads no earlier layer",
        Message);

    public static readonly DiagnosticDescriptor OutputNotRead = Error("PRUNE035",
        "Layer output is never read",
        Message);

    public static readonly DiagnosticDescriptor InvalidNormalization = Error("PRUNE036",
        "Input normalization does not fit the input",
        Message);

    /// <summary>The descriptor that reports a broken rule of Prune.Specs.Rules: the one whose code is the rule's number.</summary>
    public static DiagnosticDescriptor For(Rule rule) => rule switch
    {
        Rule.InvalidInputShape => InvalidInputShape,
        Rule.InvalidLayerArgument => InvalidLayerArgument,
        Rule.KernelLargerThanInput => KernelLargerThanInput,
        Rule.NeedsImageInput => NeedsImageInput,
        Rule.DenseNeedsFlatInput => DenseNeedsFlatInput,
        Rule.PoolingToZero => PoolingToZero,
        Rule.SparsityOutOfRange => SparsityOutOfRange,
        Rule.InvalidScheduleSteps => InvalidScheduleSteps,
        Rule.InvalidPower => InvalidPower,
        Rule.PruneLayerWithoutWeights => PruneLayerWithoutWeights,
        Rule.PruneFoldedLayer => PruneFoldedLayer,
        Rule.BlockDoesNotFit => BlockDoesNotFit,
        Rule.MByNDoesNotFit => MByNDoesNotFit,
        Rule.InvalidTrainingSetting => InvalidTrainingSetting,
        Rule.BatchNormCannotFold => BatchNormCannotFold,
        Rule.DecreasingSparsity => DecreasingSparsity,
        Rule.OutputNotAVector => OutputNotAVector,
        Rule.FilterTargetDoesNotFit => FilterTargetDoesNotFit,
        Rule.FilterCannotBeRemoved => FilterCannotBeRemoved,
        Rule.AddShapesDiffer => AddShapesDiffer,
        Rule.UnknownInput => UnknownInput,
        Rule.OutputNotRead => OutputNotRead,
        Rule.InvalidNormalization => InvalidNormalization,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "The generator computes what this rule checks; it never reports it."),
    };
}
