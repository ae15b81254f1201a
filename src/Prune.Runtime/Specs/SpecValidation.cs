using Prune.Pruning;
using Prune.Specs.Rules;
using static System.FormattableString;

namespace Prune.Specs;

/// <summary>
/// Checks a spec with the rules the generator checks at compile time (<see cref="Rules"/>), and with the ones it never
/// breaks because it computes what they check: every layer's input is what the layer before it outputs, its declared
/// output shape and parameter count are what its settings give. Export's own rules (a BatchNorm folds into the layer
/// before it) are checked when exporting.
/// </summary>
internal static class SpecValidation
{
    public static void ThrowIfInvalid(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Problems(spec).FirstOrDefault() is (var layer, { } problem)) throw new InvalidSpecException(problem, layer?.Name);
    }

    /// <summary>Throws for the first rule <paramref name="layer"/> breaks on its own (whatever the layers around it).</summary>
    public static void ThrowIfInvalid(LayerSpec layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (Problems(layer).FirstOrDefault() is { } problem) throw new InvalidSpecException(problem, layer.Name);
    }

    private static IEnumerable<(LayerSpec? Layer, Problem Problem)> Problems(ModelSpec spec)
    {
        if (ModelRules.InputShape([.. spec.InputShape]) is { } input) yield return (null, input);
        if (spec.Normalization is { } normalization && ModelRules.Normalization([.. spec.InputShape], normalization.Mean, normalization.Std) is { } normalize)
            yield return (null, normalize);
        if (spec.Layers.Count == 0)
        {
            yield return (null, new Problem(Rule.NoLayers, Invariant($"Model '{spec.Name}' has no layers.")));
            yield break;
        }
        var declared = new Dictionary<string, LayerSpec>(StringComparer.Ordinal);
        var read = new HashSet<string>(StringComparer.Ordinal);
        var resolved = true;
        var previous = (LayerSpec?)null;
        foreach (var layer in spec.Layers)
        {
            if (declared.ContainsKey(layer.Name))
                yield return (layer, new Problem(Rule.DuplicateLayerName, Invariant($"Layer '{layer.Name}': model '{spec.Name}' has two layers of this name; layers are named like the fields that declare them.")));
            var source = previous;
            if (layer.Input is { } reads)
            {
                if (ModelRules.ReadsEarlierLayer(layer.Name, "input", reads, declared.Keys) is { } unknown)
                {
                    resolved = false;
                    yield return (layer, unknown);
                }
                source = declared.GetValueOrDefault(reads);
            }
            if (source is not null) read.Add(source.Name);
            var expected = source?.OutputShape ?? spec.InputShape;
            if ((layer.Input is null || source is not null) && !layer.InputShape.Equals(expected))
            {
                var from = source is null ? "the model's input is" : Invariant($"the layer it reads ('{source.Name}') outputs");
                yield return (layer, new Problem(Rule.InputDoesNotFollow, Invariant($"Layer '{layer.Name}': its input shape is {layer.InputShape}, but {from} {expected}.")));
            }
            resolved &= layer.OtherInputs.All(declared.ContainsKey);
            foreach (var problem in OtherInputProblems(layer, declared)) yield return (layer, problem);
            read.UnionWith(layer.OtherInputs);
            foreach (var problem in Problems(layer)) yield return (layer, problem);
            declared.TryAdd(layer.Name, layer);
            previous = layer;
        }
        foreach (var unread in spec.Layers.Take(spec.Layers.Count - 1).Where(l => !read.Contains(l.Name)))
            yield return (unread, ModelRules.OutputNotRead(unread.Name, previous!.Name));
        if (ModelRules.Output(previous!.Name, [.. previous.OutputShape]) is { } output) yield return (previous, output);
        // Filter pruning's placement (PRUNE032), only when every name resolves: the channel groups are found on the graph
        // of the connections.
        if (resolved)
        {
            foreach (var (layer, problem) in ChannelDependencies.Problems(spec)) yield return (spec.Layers[layer], problem);
        }
        var t = spec.Training;
        foreach (var problem in TrainingRules.Check(t.LearningRate, t.FineTuneLearningRate, t.Momentum, t.BatchSize, t.Epochs, t.FineTuneEpochs))
            yield return (null, problem);
    }

    /// <summary>The rules broken by what a layer reads besides its input (an Add's shortcut): a layer declared before it,
    /// whose output has the shape the layer declares for it.</summary>
    private static IEnumerable<Problem> OtherInputProblems(LayerSpec layer, Dictionary<string, LayerSpec> declared)
    {
        foreach (var name in layer.OtherInputs)
        {
            if (ModelRules.ReadsEarlierLayer(layer.Name, "shortcut", name, declared.Keys) is { } unknown) yield return unknown;
            else if (layer is AddSpec add && !add.ShortcutShape.Equals(declared[name].OutputShape))
                yield return new Problem(Rule.InputDoesNotFollow, Invariant(
                    $"Layer '{layer.Name}': its shortcut shape is {add.ShortcutShape}, but the layer it adds ('{name}') outputs {declared[name].OutputShape}."));
        }
    }

    private static IEnumerable<Problem> Problems(LayerSpec layer)
    {
        var inferred = layer.Infer();
        foreach (var problem in inferred.Problems) yield return problem;
        if (inferred.Output is { } output && (!layer.OutputShape.SequenceEqual(output) || layer.ParameterCount != inferred.Parameters))
        {
            yield return new Problem(Rule.DeclaredShapeDiffers, Invariant(
                $"Layer '{layer.Name}': it declares the output {layer.OutputShape} and {layer.ParameterCount} parameters, but a {layer.Kind} with these settings on the input {layer.InputShape} gives {Formats.Shape(output)} and {inferred.Parameters}."));
        }
        if (layer.Pruning is not { } pruning) yield break;
        if (PruningRules.Prunable(layer.Name, layer.Kind, inferred.Weight is not null, layer.FoldsIntoPrevious) is { } notPrunable)
        {
            yield return notPrunable;
            yield break;
        }
        if (inferred.Weight is not { } weight) yield break;
        foreach (var problem in Fit(layer.Name, pruning, new WeightView(weight))) yield return problem;
    }

    /// <summary>The rules <paramref name="pruning"/>'s pattern breaks on a weight whose 2-D view is <paramref name="weight"/>.</summary>
    public static IEnumerable<Problem> Fit(string layer, PruningSpec pruning, WeightView weight)
    {
        var subject = PruningRules.Subject(layer);
        if (PruningRules.Sparsity(subject + ":", "target sparsity", pruning.Schedule.FinalSparsity) is { } sparsity) yield return sparsity;
        if (pruning.MByN is { } mByN)
        {
            if ((PruningRules.MByN(subject, mByN.M, mByN.N) ?? PruningRules.MByNFits(subject, mByN.M, mByN.N, weight.InputChannels)) is { } pattern) yield return pattern;
        }
        else if (pruning.Filter is not null)
        {
            if (PruningRules.FilterTargetFits(subject, weight.Rows, pruning.Schedule.FinalSparsity) is { } filter) yield return filter;
        }
        else if (pruning.Block is { } block && PruningRules.BlockFits(subject, block.Height, block.Width, weight.Rows, weight.Columns) is { } blocks)
        {
            yield return blocks;
        }
    }
}
