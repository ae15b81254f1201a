namespace Prune.Generators.Specs;

/// <summary>
/// One layer, checked: its name, kind and what it reads, its inferred shapes and parameter count, the properties of its
/// runtime spec (<c>Prune.Specs.{Kind}Spec</c>) as C#, its pruning, and the facts later checks read (the connections,
/// the BatchNorm fold).
/// </summary>
/// <param name="Name">The layer's name: the field that declares it, or for a layer of a block, the name the block gives it
/// after its field (<c>layer1_0_conv1</c>).</param>
/// <param name="Field">The field the generated constructor assigns this layer to: its own, a block's (for the block's
/// output layer), or null (the other layers of a block).</param>
/// <param name="Kind">The attribute's name without its suffix, e.g. <c>Conv2D</c>.</param>
/// <param name="Input">The layer whose output it reads, when the declaration names one; null for the layer before it.</param>
/// <param name="OtherInputs">The layers it reads besides its input (an Add's shortcut).</param>
/// <param name="Properties">The kind's own properties of the runtime spec, in the order the emitter writes them.</param>
/// <param name="InputShape">One input sample's shape.</param>
/// <param name="OutputShape">One output sample's shape.</param>
/// <param name="ParameterCount">Trainable parameters.</param>
/// <param name="Activation">The activation's member name (<c>None</c> for kinds without one).</param>
/// <param name="HasWeight">Whether the layer has a weight (what pruning masks).</param>
/// <param name="IsIdentityAtInference">Whether it passes its input through at inference (Dropout).</param>
/// <param name="FoldsIntoPrevious">Whether export folds it into the weight layer it reads (BatchNorm).</param>
/// <param name="Pruning">How it is pruned, or null.</param>
/// <param name="Source">Where its layer attribute (or its block's) stands.</param>
internal sealed record LayerSpec(
    string Name,
    string? Field,
    string Kind,
    string? Input,
    EquatableArray<string> OtherInputs,
    EquatableArray<SpecProperty> Properties,
    EquatableArray<int> InputShape,
    EquatableArray<int> OutputShape,
    long ParameterCount,
    string Activation,
    bool HasWeight,
    bool IsIdentityAtInference,
    bool FoldsIntoPrevious,
    PruningSpec? Pruning,
    SourceSpot Source);

/// <summary>One property of a runtime spec as the emitter writes it: <c>Filters = 32</c>.</summary>
/// <param name="Name">The property.</param>
/// <param name="Value">Its value, a C# expression.</param>
internal sealed record SpecProperty(string Name, string Value);
