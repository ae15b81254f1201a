using System.Threading;
using Microsoft.CodeAnalysis;
using Prune.Generators.Diagnostics;
using Prune.Generators.Specs;
using Prune.Specs.Rules;

namespace Prune.Generators.Parsing;

/// <summary>The model-level pruning settings, read once and checked once, that layers fall back on.</summary>
internal sealed record InheritedPruning(ScheduleSpec? Schedule, bool ScheduleValid, Pattern Pattern, bool PatternValid);

/// <summary>
/// Turns a model's layer fields, in declaration order, into checked <see cref="LayerSpec"/>s: a layer attribute into
/// one layer, a block attribute into the layers it expands to. Each layer's input shape is the output of the layer it
/// reads (the one before it, or its <c>Input</c>); a layer that does not fit leaves its output unknown, and the layers
/// that read it are then not checked, rather than reported with follow-on errors.
/// </summary>
internal sealed class LayerParser(EquatableArray<int>? modelInput, InheritedPruning modelPruning, DiagnosticList diagnostics)
{
    private readonly DeclaredLayers _declared = new(modelInput);
    private readonly FoldTarget _foldTarget = new();
    private readonly List<LayerSpec> _layers = [];
    /// <summary>The field that declares each layer: its own, or the block's it was expanded from.</summary>
    private readonly Dictionary<string, string> _owners = [];
    /// <summary>Whether every declared layer parsed: the graph of the connections is then whole.</summary>
    private bool _everyLayerParsed = true;
    /// <summary>Whether every pruning setting resolved: a layer whose settings failed shows no pruning, which is unknown.</summary>
    private bool _everyPruningResolved = true;

    /// <summary>Parses one field; false when it declares no layer.</summary>
    public bool Parse(IFieldSymbol field, CancellationToken cancellationToken)
    {
        AttributeArguments? layerAttribute = null;
        LayerKind? kind = null;
        BlockKind? block = null;
        var settings = new PruningSettings();
        foreach (var data in field.GetAttributes().Where(ModelParser.IsPruneAttribute))
        {
            var attribute = new AttributeArguments(data, cancellationToken);
            if (ModelParser.IsLayerAttribute(data) && (LayerKind.Named(attribute.Name) is not null || BlockKind.Named(attribute.Name) is not null))
            {
                if (layerAttribute is null)
                {
                    layerAttribute = attribute;
                    kind = LayerKind.Named(attribute.Name);
                    block = BlockKind.Named(attribute.Name);
                }
                else
                {
                    diagnostics.Add(DiagnosticDescriptors.MultipleLayerAttributes, attribute.Where, field.Name, layerAttribute.Name, attribute.Name);
                }
                continue;
            }
            settings.TryAdd(attribute);
        }

        if (layerAttribute is null)
        {
            foreach (var stray in new[] { settings.Prune }.Concat(settings.Settings()).OfType<AttributeArguments>())
                diagnostics.Add(DiagnosticDescriptors.PruningSettingWithoutLayer, stray.Where, field.Name, stray.Name);
            return false;
        }

        // Prune.Layer only: the layer classes behind it are the runtime's machinery (internal), made by Layer.Create.
        var fieldType = field.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "").TrimEnd('?');
        if (field.IsStatic || field.IsConst || fieldType != "Prune.Layer")
        {
            var actual = field.IsStatic || field.IsConst ? "static" : "of type " + field.Type.ToDisplayString();
            diagnostics.Add(DiagnosticDescriptors.InvalidLayerField, layerAttribute.Where, field.Name, layerAttribute.Name, actual);
        }

        if (block is not null) ParseBlock(field.Name, block, layerAttribute, settings);
        else ParseLayer(field.Name, field.Name, kind!, layerAttribute, layerAttribute.String("Input"), layerAttribute.Where, settings, field.Name);
        return true;
    }

    /// <summary>The layers parsed without error, after the checks that need them all: the rules on the connections
    /// (PRUNE027, PRUNE032), outputs nobody reads (PRUNE035) and the model's output (PRUNE030).</summary>
    public List<LayerSpec> Finish()
    {
        if (_everyLayerParsed) CheckConnections();
        foreach (var (layer, where) in _declared.Unread())
            diagnostics.Add(ModelRules.OutputNotRead(layer, _declared.Last!), where);
        // What the model outputs is known only when every layer's shape is.
        if (!diagnostics.HasErrors && _layers.LastOrDefault() is { } last)
            diagnostics.AddAll([ModelRules.Output(last.Name, last.OutputShape)], last.Source);
        return _layers;
    }

    /// <summary>
    /// One layer named <paramref name="name"/>, of <paramref name="kind"/>, reading <paramref name="input"/> (a name, or null
    /// for the layer before it). <paramref name="owner"/> is the field that declares it: pruning settings are its.
    /// </summary>
    private void ParseLayer(string name, string? field, LayerKind kind, IArguments arguments, string? input, SourceSpot where,
        PruningSettings settings, string owner)
    {
        _owners[name] = owner;
        var source = _declared.Read(name, "input", input, where, diagnostics);
        var reader = new LayerReader(name, arguments, where, source?.Shape, _declared, diagnostics);
        var reading = kind.Read(reader);
        diagnostics.AddAll(reading.Shape.Problems, where);
        // Whether a block or m:n pattern fits is checked only against a weight that was inferred without error.
        var pruning = ResolvePruning(owner, name, kind, reading.Shape.Weight, settings);
        LayerSpec? layer = null;
        // A pruning mistake is reported but does not stop shape inference: later layers are still checked.
        if (!reader.HasErrors && source?.Shape is { } inputShape && reading.Shape.Output is { } output)
        {
            layer = new LayerSpec(name, field, kind.Name, source.Value.Named ? source.Value.Layer : null, reader.OtherInputs.ToEquatableArray(),
                reading.Properties.ToEquatableArray(), inputShape, output.ToEquatableArray(), reading.Shape.Parameters, reading.Activation, kind.HasWeight, kind.IsIdentityAtInference,
                kind.FoldsIntoPrevious, pruning.Spec, where);
        }
        _everyPruningResolved &= !pruning.Failed;
        _everyLayerParsed &= layer is not null;
        if (!_declared.Declare(name, layer?.OutputShape, where, diagnostics))
        {
            _everyLayerParsed = false;
            return;
        }
        _foldTarget.Check(name, layer, source, diagnostics);
        if (layer is not null) _layers.Add(layer);
    }

    /// <summary>A block field: the layers it expands to on its input, the last assigned to the field and read by its name.</summary>
    private void ParseBlock(string field, BlockKind block, AttributeArguments attribute, PruningSettings settings)
    {
        var source = _declared.Read(field, "input", attribute.String("Input"), attribute.Where, diagnostics);
        // A block's layers depend on its input's channels: after an earlier mistake they are unknown.
        var layers = source is { Shape: { Count: > 0 } shape }
            ? block.Expand(field, new BlockInput(source.Value.Layer, source.Value.Named, shape[0]), attribute, message => diagnostics.Add(new Problem(Rule.InvalidLayerArgument, message), attribute.Where))
            : [];
        if (layers.Count == 0)
        {
            _everyLayerParsed = false;
            _declared.Declare(field, null, attribute.Where, diagnostics);
            return;
        }
        for (var i = 0; i < layers.Count; i++)
        {
            var part = layers[i];
            ParseLayer(part.Name, i == layers.Count - 1 ? field : null, part.Kind, part.Arguments, part.Input, attribute.Where, settings, field);
        }
        _declared.Alias(field, layers[layers.Count - 1].Name);
    }

    /// <summary>
    /// How <paramref name="owner"/>'s pruning settings prune its <paramref name="layer"/>: the field's own layer, or one
    /// its block expands to, whose settings are the block's and prune the layers <see cref="BlockKind.Prunes"/> says.
    /// </summary>
    private (PruningSpec? Spec, bool Failed) ResolvePruning(string owner, string layer, LayerKind kind, long[]? weight, PruningSettings settings)
    {
        var partOfBlock = owner != layer;
        var prune = settings.Prune;
        if (prune is null)
        {
            foreach (var setting in settings.Settings())
                diagnostics.Add(DiagnosticDescriptors.ScheduleWithoutPrune, setting.Where, owner, setting.Name);
            return (null, false);
        }
        if (!partOfBlock && !diagnostics.AddAll([PruningRules.Prunable(layer, kind.Name, kind.HasWeight, kind.FoldsIntoPrevious)], prune.Where))
            return (null, true);

        var ownerName = PruningRules.Subject(owner);
        var (schedule, scheduleValid) = settings.ReadSchedule(ownerName, diagnostics);
        var (pattern, patternValid) = settings.ReadPattern(ownerName, diagnostics);
        if (!scheduleValid || !patternValid) return (null, true);

        // The layer's own settings win; the model's fill in what the layer leaves out.
        if (schedule is null)
        {
            if (!modelPruning.ScheduleValid) return (null, true);
            schedule = modelPruning.Schedule;
        }
        if (schedule is null)
        {
            diagnostics.Add(DiagnosticDescriptors.PruneWithoutSchedule, prune.Where, owner);
            return (null, true);
        }
        var patternIsLayers = pattern.IsDeclared;
        if (!patternIsLayers)
        {
            if (!modelPruning.PatternValid) return (null, true);
            pattern = modelPruning.Pattern;
            // A mistake about the model's filter pattern on this layer is this layer's: report it at its [Prune].
            if (pattern.Filter is { } inherited) pattern = pattern with { Filter = inherited with { Where = prune.Where } };
        }
        if (partOfBlock && !BlockKind.Prunes(kind, pattern)) return (null, false);
        var (block, mByN, filter) = (pattern.Block, pattern.MByN, pattern.Filter);

        // Whether the pattern fits needs the weight: unknown after an earlier error, which is already reported.
        var spec = new PruningSpec(schedule, block, mByN, filter);
        if (weight is null) return (spec, false);
        var where = patternIsLayers ? settings.PatternAttribute!.Where : prune.Where;
        var view = new WeightView(weight);
        // A block's layer is named with its block: the block's attributes, not the layer, are what the user changes.
        var subject = PruningRules.Subject(layer, partOfBlock ? owner : null);
        var fits = block is not null ? PruningRules.BlockFits(subject, block.Height, block.Width, view.Rows, view.Columns)
            : mByN is not null ? PruningRules.MByNFits(subject, mByN.M, mByN.N, view.InputChannels)
            : filter is not null ? PruningRules.FilterTargetFits(subject, view.Rows, schedule.FinalSparsity)
            : null;
        return diagnostics.AddAll([fits], where) ? (spec, false) : (null, true);
    }

    /// <summary>
    /// The rules that depend on how the layers connect, by the runtime's own code on the same graph, once every layer has
    /// parsed: a folded BatchNorm's layer must have no other reader (PRUNE027, at the BatchNorm), and filter pruning must
    /// be able to follow the channels it removes and remove them from every layer an Add joins alike (PRUNE032, at the
    /// layer's [FilterSparsity], or its [Prune] when the pattern is the model's). Channel groups need every layer's
    /// pruning: a layer whose settings failed would look unpruned to them.
    /// </summary>
    private void CheckConnections()
    {
        var graph = new LayerGraph([.. _layers.Select(l => new LayerReads(l.Name, l.Input, l.OtherInputs))]);
        _foldTarget.CheckReaders(_layers, graph, diagnostics);
        if (!_everyPruningResolved) return;
        foreach (var (layer, problem) in ChannelGroups.Find([.. _layers.Select(ForChannelGroups)], graph).Problems)
            diagnostics.Add(problem, _layers[layer].Pruning!.Filter!.Where);
    }

    /// <summary>A layer as the channel groups see it: its pruning compared without where its [FilterSparsity] stands, and
    /// the block that declares it, whose field its diagnostics tell the user to annotate.</summary>
    private ChannelLayer ForChannelGroups(LayerSpec layer) => new(layer.Name, layer.Kind, layer.InputShape, layer.OutputShape,
        layer.Pruning is { Filter: { } filter } pruning
            ? new FilterPruning((pruning with { Filter = null }, filter.Criterion), filter.Criterion == "BatchNormScale")
            : null,
        _owners[layer.Name] is var owner && owner != layer.Name ? owner : null);
}
