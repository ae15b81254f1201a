namespace Prune.Specs.Rules;

// This folder is compiled twice: into Prune.Runtime, and (linked) into Prune.Generators, which targets
// netstandard2.0 and cannot reference the runtime. So the rules here take plain values, never the runtime's types,
// and each returns the message a user reads: the generator reports it at the attribute, the runtime throws it for a
// spec built by hand. A rule and its message are written here once.

/// <summary>
/// The rules a model's spec follows. A rule's number is the code of the diagnostic that reports it at compile time
/// (<see cref="InvalidLayerArgument"/> is PRUNE009); rules numbered from 100 on have no diagnostic, because the
/// generator computes what they check itself (a declared output shape, a layer's input) and never breaks them.
/// </summary>
internal enum Rule
{
    /// <summary>PRUNE005: a model's input is [C, H, W] or [F], every dimension 1 or more.</summary>
    InvalidInputShape = 5,
    /// <summary>PRUNE009: a layer's setting is out of its range.</summary>
    InvalidLayerArgument = 9,
    /// <summary>PRUNE010: a VALID kernel larger than its input.</summary>
    KernelLargerThanInput = 10,
    /// <summary>PRUNE011: an image layer on a feature vector.</summary>
    NeedsImageInput = 11,
    /// <summary>PRUNE012: a Dense layer on an image.</summary>
    DenseNeedsFlatInput = 12,
    /// <summary>PRUNE013: a VALID pooling window larger than its input.</summary>
    PoolingToZero = 13,
    /// <summary>PRUNE014: a sparsity outside [0, 1).</summary>
    SparsityOutOfRange = 14,
    /// <summary>PRUNE015: a schedule's begin, end or frequency.</summary>
    InvalidScheduleSteps = 15,
    /// <summary>PRUNE016: a PolynomialDecay power that is not positive.</summary>
    InvalidPower = 16,
    /// <summary>PRUNE018: a pruned layer without a weight.</summary>
    PruneLayerWithoutWeights = 18,
    /// <summary>PRUNE019: a pruned layer that export folds into the one before it.</summary>
    PruneFoldedLayer = 19,
    /// <summary>PRUNE021: a block smaller than 1x1 or larger than the weight's 2-D view (one that does not divide it is padded).</summary>
    BlockDoesNotFit = 21,
    /// <summary>PRUNE022: an m:n pattern outside 1 ≤ m ≤ n, or whose n does not divide the input channels.</summary>
    MByNDoesNotFit = 22,
    /// <summary>PRUNE024: a training setting out of its range.</summary>
    InvalidTrainingSetting = 24,
    /// <summary>PRUNE027: a BatchNorm with no activation-free weight layer right before it to fold into, or one whose
    /// layer's output another layer also reads.</summary>
    BatchNormCannotFold = 27,
    /// <summary>PRUNE029 (a warning): a PolynomialDecay whose sparsity falls.</summary>
    DecreasingSparsity = 29,
    /// <summary>PRUNE030: a model whose output is not one value per class.</summary>
    OutputNotAVector = 30,
    /// <summary>PRUNE031: a filter-pruning target that leaves no channel, or rounds to keeping all of them.</summary>
    FilterTargetDoesNotFit = 31,
    /// <summary>PRUNE032: filter pruning where removed channels cannot be followed: the last layer, a layer whose
    /// channels are tied to its input, a BatchNorm-scale criterion without a BatchNorm after the layer, or layers an Add
    /// joins that are not pruned alike (or the model's input).</summary>
    FilterCannotBeRemoved = 32,
    /// <summary>PRUNE033: an Add whose two inputs differ in shape.</summary>
    AddShapesDiffer = 33,
    /// <summary>PRUNE034: a layer that reads (its <c>Input</c>, an Add's shortcut) a name that is not a layer declared before it.</summary>
    UnknownInput = 34,
    /// <summary>PRUNE035: a layer, other than the last, whose output no layer reads.</summary>
    OutputNotRead = 35,
    /// <summary>PRUNE036: a [Normalize] on a feature input, with the wrong number of values, or a std that is not positive.</summary>
    InvalidNormalization = 36,
    /// <summary>A spec with no layers.</summary>
    NoLayers = 100,
    /// <summary>Two layers of one spec with the same name.</summary>
    DuplicateLayerName = 101,
    /// <summary>A layer whose input shape is not what the layer before it outputs.</summary>
    InputDoesNotFollow = 102,
    /// <summary>A layer whose declared output shape or parameter count is not what its settings give.</summary>
    DeclaredShapeDiffers = 103,
}

/// <summary>A rule a spec breaks, and the message that says where, what, and how to fix it.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Message">The whole message, naming the layer (or the setting) it is about.</param>
internal sealed record Problem(Rule Rule, string Message)
{
    /// <summary>The diagnostic code the generator reports this rule with (PRUNE009), or null for a rule it never breaks.</summary>
    public string? Code => (int)Rule < 100 ? "PRUNE" + ((int)Rule).ToString("D3", System.Globalization.CultureInfo.InvariantCulture) : null;
}
