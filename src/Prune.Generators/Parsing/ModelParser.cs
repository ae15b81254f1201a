using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Prune.Generators.Diagnostics;
using Prune.Generators.Specs;
using Prune.Specs.Rules;
using static System.FormattableString;

namespace Prune.Generators.Parsing;

/// <summary>
/// Turns one [Model] class into a <see cref="ParseResult"/>: the checked <see cref="ModelSpec"/> when the
/// declaration is sound, and a diagnostic for every problem found. Never throws on user input: every check
/// that can fail reports and moves on, so one build shows all the mistakes of a model at once.
/// </summary>
internal static class ModelParser
{
    /// <summary>The members Prune generates; the user's class must not declare them.</summary>
    public static readonly string[] GeneratedMembers = ["ModelSpec", "Layers", "forward", "_declaredLayers"];

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax node)
            return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);

        // An attribute the compiler could not bind is already a compile error: say nothing more, generate nothing.
        var fields = type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsImplicitlyDeclared).ToList();
        var attributes = type.GetAttributes().Concat(fields.SelectMany(f => f.GetAttributes())).Where(IsPruneAttribute);
        if (attributes.Any(AttributeArguments.HasErrors)) return new ParseResult(null, EquatableArray<DiagnosticInfo>.Empty);

        var diagnostics = new DiagnosticList();
        var model = new AttributeArguments(context.Attributes[0], cancellationToken);
        // Problems of the class as a whole go on its name; problems of an attribute's arguments on that attribute.
        var className = SourceSpot.From(node.Identifier.GetLocation());
        CheckClass(type, node, className, diagnostics, cancellationToken);

        var inputShape = model.Ints("inputShape");
        var shapeIsValid = diagnostics.AddAll([ModelRules.InputShape(inputShape)], model.Where);

        var training = ReadTraining(type, diagnostics, cancellationToken);

        var modelSettings = new PruningSettings();
        foreach (var data in type.GetAttributes().Where(IsPruneAttribute))
            modelSettings.TryAdd(new AttributeArguments(data, cancellationToken));
        var modelOwner = Invariant($"Model '{type.Name}'");
        var (modelSchedule, modelScheduleValid) = modelSettings.ReadSchedule(modelOwner, diagnostics);
        var (modelPattern, modelPatternValid) = modelSettings.ReadPattern(modelOwner, diagnostics);
        var modelPruning = new InheritedPruning(modelSchedule, modelScheduleValid, modelPattern, modelPatternValid);

        var layers = new List<LayerSpec>();
        EquatableArray<int>? current = shapeIsValid ? inputShape.ToEquatableArray() : null;
        var declaredLayers = 0;
        var foldTarget = new FoldTarget();
        foreach (var field in fields)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var layer = ParseField(field, current, modelPruning, diagnostics, cancellationToken, out var declaresLayer);
            if (declaresLayer) declaredLayers++;
            if (!declaresLayer) continue;
            foldTarget.Check(layer, diagnostics);
            // After a layer that does not fit, later shapes are unknown: stop inferring rather than report follow-on errors.
            current = layer?.OutputShape;
            if (layer is not null) layers.Add(layer);
        }
        if (declaredLayers == 0) diagnostics.Add(DiagnosticDescriptors.NoLayers, className, type.Name);
        CheckFilterPlacement(layers, diagnostics);
        // What the model outputs is known only when every layer's shape is.
        if (!diagnostics.HasErrors && layers.LastOrDefault() is { } last)
            diagnostics.AddAll([ModelRules.Output(last.FieldName, last.OutputShape)], last.Source);

        if (diagnostics.HasErrors || training is null)
            return new ParseResult(null, diagnostics.ToEquatableArray());
        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        var spec = new ModelSpec(ns, type.Name, inputShape.ToEquatableArray(), layers.ToEquatableArray(), training, model.Where)
        {
            Pretrained = ReadPretrained(type, cancellationToken),
        };
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    private static bool IsPruneAttribute(AttributeData data) =>
        data.AttributeClass is { ContainingNamespace: { Name: "Prune", ContainingNamespace.IsGlobalNamespace: true } };

    public static bool IsModelAttribute(AttributeData data) => IsPruneAttribute(data) && data.AttributeClass!.Name == "ModelAttribute";

    private static bool IsLayerAttribute(AttributeData data)
    {
        for (var type = data.AttributeClass?.BaseType; type is not null; type = type.BaseType)
        {
            if (type is { Name: "LayerAttribute", ContainingNamespace: { Name: "Prune", ContainingNamespace.IsGlobalNamespace: true } })
                return true;
        }
        return false;
    }

    private static void CheckClass(INamedTypeSymbol type, TypeDeclarationSyntax node, SourceSpot name, DiagnosticList diagnostics, CancellationToken cancellationToken)
    {
        var isPartial = type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<TypeDeclarationSyntax>()
            .All(c => c.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!isPartial) diagnostics.Add(DiagnosticDescriptors.ModelNotPartial, name, type.Name);

        var problem = type.IsRecord ? "a record"
            : type.ContainingType is not null ? Invariant($"nested in '{type.ContainingType.Name}'")
            : type.IsGenericType ? "generic"
            : type.IsStatic ? "static"
            : type.IsAbstract ? "abstract"
            : null;
        if (problem is not null) diagnostics.Add(DiagnosticDescriptors.UnsupportedModelClass, name, type.Name, problem);

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType
            && !(baseType is { Name: "Model", ContainingNamespace: { Name: "Prune", ContainingNamespace.IsGlobalNamespace: true } }))
        {
            var where = node.BaseList?.Types.FirstOrDefault() is { } written ? SourceSpot.From(written) : name;
            diagnostics.Add(DiagnosticDescriptors.ModelHasBaseClass, where, type.Name, baseType.ToDisplayString());
        }

        foreach (var member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || member.Locations.FirstOrDefault() is not { IsInSource: true } location) continue;
            var generated = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "a constructor"
                : GeneratedMembers.Contains(member.Name) ? "'" + member.Name + "'"
                : null;
            if (generated is not null)
                diagnostics.Add(DiagnosticDescriptors.ModelDeclaresMember, SourceSpot.From(location), type.Name, generated);
        }
    }

    private static TrainingSpec? ReadTraining(INamedTypeSymbol type, DiagnosticList diagnostics, CancellationToken cancellationToken)
    {
        var data = type.GetAttributes().FirstOrDefault(a => IsPruneAttribute(a) && a.AttributeClass!.Name == "TrainingAttribute");
        if (data is null)
        {
            return new TrainingSpec(TrainingRules.Optimizer, TrainingRules.LearningRate, TrainingRules.FineTuneLearningRate(TrainingRules.LearningRate),
                TrainingRules.Momentum, TrainingRules.BatchSize, TrainingRules.Epochs, TrainingRules.FineTuneEpochs, TrainingRules.Seed);
        }

        // Its settings are properties: one not written is absent here, and gets the default the attribute declares.
        var training = new AttributeArguments(data, cancellationToken);
        var valid = true;
        var optimizer = training.Enum("Optimizer", TrainingRules.Optimizer);
        if (optimizer.Member is null)
        {
            diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, training.Where, optimizer.Written, optimizer.TypeName, optimizer.KnownMembers);
            valid = false;
        }
        var rate = training.Double("LearningRate", TrainingRules.LearningRate);
        var fineTuneRate = training.Double("FineTuneLearningRate", double.NaN);
        var momentum = training.Double("Momentum", TrainingRules.Momentum);
        var batchSize = training.Int("BatchSize", TrainingRules.BatchSize);
        var epochs = training.Int("Epochs", TrainingRules.Epochs);
        var fineTuneEpochs = training.Int("FineTuneEpochs", TrainingRules.FineTuneEpochs);
        // NaN, the attribute's default, means a tenth of the learning rate.
        var givenFineTuneRate = double.IsNaN(fineTuneRate) ? (double?)null : fineTuneRate;
        valid &= diagnostics.AddAll(TrainingRules.Check(rate, givenFineTuneRate, momentum, batchSize, epochs, fineTuneEpochs), training.Where);
        if (!valid) return null;
        return new TrainingSpec(optimizer.Member!, rate, givenFineTuneRate ?? TrainingRules.FineTuneLearningRate(rate), momentum,
            batchSize, epochs, fineTuneEpochs, training.Int("Seed", TrainingRules.Seed));
    }

    /// <summary>[Pretrained(path, IncludeTop = ..., FreezeEpochs = ...)], or null; the file itself is read by the build.</summary>
    private static PretrainedSpec? ReadPretrained(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var data = type.GetAttributes().FirstOrDefault(a => IsPruneAttribute(a) && a.AttributeClass!.Name == "PretrainedAttribute");
        if (data is null) return null;
        var pretrained = new AttributeArguments(data, cancellationToken);
        return new PretrainedSpec(pretrained.String("path") ?? "", pretrained.Bool("IncludeTop", true), pretrained.Int("FreezeEpochs", 0));
    }

    private static LayerSpec? ParseField(IFieldSymbol field, EquatableArray<int>? input, InheritedPruning modelPruning,
        DiagnosticList diagnostics, CancellationToken cancellationToken, out bool declaresLayer)
    {
        AttributeArguments? layerAttribute = null;
        LayerKind? kind = null;
        var settings = new PruningSettings();
        foreach (var data in field.GetAttributes().Where(IsPruneAttribute))
        {
            var attribute = new AttributeArguments(data, cancellationToken);
            if (IsLayerAttribute(data) && LayerKind.Named(attribute.Name) is { } attributeKind)
            {
                if (layerAttribute is null)
                {
                    layerAttribute = attribute;
                    kind = attributeKind;
                }
                else
                {
                    diagnostics.Add(DiagnosticDescriptors.MultipleLayerAttributes, attribute.Where, field.Name, layerAttribute.Name, attribute.Name);
                }
                continue;
            }
            settings.TryAdd(attribute);
        }

        declaresLayer = layerAttribute is not null;
        if (layerAttribute is null || kind is null)
        {
            foreach (var stray in new[] { settings.Prune }.Concat(settings.Settings()).OfType<AttributeArguments>())
                diagnostics.Add(DiagnosticDescriptors.PruningSettingWithoutLayer, stray.Where, field.Name, stray.Name);
            return null;
        }

        // Prune.Layer only: the layer classes behind it are the runtime's machinery (internal), made by Layer.Create.
        var fieldType = field.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "").TrimEnd('?');
        if (field.IsStatic || field.IsConst || fieldType != "Prune.Layer")
        {
            var actual = field.IsStatic || field.IsConst ? "static" : "of type " + field.Type.ToDisplayString();
            diagnostics.Add(DiagnosticDescriptors.InvalidLayerField, layerAttribute.Where, field.Name, kind.Name, actual);
        }

        var name = field.Name;
        var reader = new LayerReader(name, layerAttribute, input, diagnostics);
        var reading = kind.Read(reader);
        diagnostics.AddAll(reading.Shape.Problems, layerAttribute.Where);
        // Whether a block or m:n pattern fits is checked only against a weight that was inferred without error.
        var pruning = ResolvePruning(name, kind, reading.Shape.Weight, settings, modelPruning, diagnostics);
        if (reader.HasErrors || input is not { } inputShape || reading.Shape.Output is not { } output) return null;
        // A pruning mistake is reported but does not stop shape inference: later layers are still checked.
        return new LayerSpec(name, kind.Name, reading.Properties.ToEquatableArray(), inputShape, output.ToEquatableArray(), reading.Shape.Parameters,
            reading.Activation, kind.HasWeight, kind.IsIdentityAtInference, kind.FoldsIntoPrevious, pruning.Spec, layerAttribute.Where);
    }

    private static (PruningSpec? Spec, bool Failed) ResolvePruning(string layer, LayerKind kind, long[]? weight,
        PruningSettings settings, InheritedPruning model, DiagnosticList diagnostics)
    {
        var prune = settings.Prune;
        if (prune is null)
        {
            foreach (var setting in settings.Settings())
                diagnostics.Add(DiagnosticDescriptors.ScheduleWithoutPrune, setting.Where, layer, setting.Name);
            return (null, false);
        }
        if (!diagnostics.AddAll([PruningRules.Prunable(layer, kind.Name, kind.HasWeight, kind.FoldsIntoPrevious)], prune.Where))
            return (null, true);

        var owner = Invariant($"Layer '{layer}'");
        var (schedule, scheduleValid) = settings.ReadSchedule(owner, diagnostics);
        var (pattern, patternValid) = settings.ReadPattern(owner, diagnostics);
        if (!scheduleValid || !patternValid) return (null, true);

        // The layer's own settings win; the model's fill in what the layer leaves out.
        if (schedule is null)
        {
            if (!model.ScheduleValid) return (null, true);
            schedule = model.Schedule;
        }
        if (schedule is null)
        {
            diagnostics.Add(DiagnosticDescriptors.PruneWithoutSchedule, prune.Where, layer);
            return (null, true);
        }
        var patternIsLayers = pattern.IsDeclared;
        if (!patternIsLayers)
        {
            if (!model.PatternValid) return (null, true);
            pattern = model.Pattern;
            // A mistake about the model's filter pattern on this layer is this layer's: report it at its [Prune].
            if (pattern.Filter is { } inherited) pattern = pattern with { Filter = inherited with { Where = prune.Where } };
        }
        var (block, mByN, filter) = (pattern.Block, pattern.MByN, pattern.Filter);

        // Whether the pattern fits needs the weight: unknown after an earlier error, which is already reported.
        var spec = new PruningSpec(schedule, block, mByN, filter);
        if (weight is null) return (spec, false);
        var where = patternIsLayers ? settings.PatternAttribute!.Where : prune.Where;
        var view = new WeightView(weight);
        var fits = block is not null ? PruningRules.BlockFits(layer, block.Height, block.Width, view.Rows, view.Columns)
            : mByN is not null ? PruningRules.MByNFits(owner, mByN.M, mByN.N, view.InputChannels)
            : filter is not null ? PruningRules.FilterTargetFits(layer, view.Rows, schedule.FinalSparsity)
            : null;
        return diagnostics.AddAll([fits], where) ? (spec, false) : (null, true);
    }

    /// <summary>Filter pruning must be able to follow the channels it removes to the next layer that reads them (PRUNE032),
    /// reported at the layer's [FilterSparsity] (or its [Prune], when the pattern is the model's).</summary>
    private static void CheckFilterPlacement(List<LayerSpec> layers, DiagnosticList diagnostics)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Pruning?.Filter is not { } filter) continue;
            var after = layers.Skip(i + 1).Select(l => l.Kind).ToList();
            diagnostics.AddAll([PruningRules.FilterPlacement(layers[i].FieldName, layers[i].Kind, filter.Criterion == "BatchNormScale", after)], filter.Where);
        }
    }

    /// <summary>The model-level pruning settings, read once and checked once, that layers fall back on.</summary>
    private sealed record InheritedPruning(ScheduleSpec? Schedule, bool ScheduleValid, Pattern Pattern, bool PatternValid);
}
