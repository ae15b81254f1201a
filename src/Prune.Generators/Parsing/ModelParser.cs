using System.Collections.Generic;
using System.Linq;
using static System.FormattableString;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Prune.Generators.Diagnostics;
using Prune.Generators.Model;

namespace Prune.Generators.Parsing;

/// <summary>
/// Turns one [Model] class into a <see cref="ParseResult"/>: the checked <see cref="ModelDescription"/> when the
/// declaration is sound, and a diagnostic for every problem found. Never throws on user input: every check
/// that can fail reports and moves on, so one build shows all the mistakes of a model at once.
/// </summary>
internal static class ModelParser
{
    /// <summary>The members Prune generates; the user's class must not declare them.</summary>
    public static readonly string[] GeneratedMembers = ["Definition", "Layers", "forward", "_declaredLayers"];

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
        var shapeIsValid = inputShape.Length is 1 or 3 && inputShape.All(d => d >= 1);
        if (!shapeIsValid) diagnostics.Add(DiagnosticDescriptors.InvalidInputShape, model.Where, DiagnosticList.Shape(inputShape));

        var training = ReadTraining(type, diagnostics, cancellationToken);

        var modelSettings = new PruningSettings();
        foreach (var data in type.GetAttributes().Where(IsPruneAttribute))
            modelSettings.TryAdd(new AttributeArguments(data, cancellationToken));
        var modelOwner = Invariant($"Model '{type.Name}'");
        var (modelSchedule, modelScheduleValid) = modelSettings.ReadSchedule(modelOwner, diagnostics);
        var (modelBlock, modelMByN, modelPatternValid) = modelSettings.ReadPattern(modelOwner, diagnostics);
        var modelPruning = new InheritedPruning(modelSchedule, modelScheduleValid, modelBlock, modelMByN, modelPatternValid);

        var layers = new List<LayerDescription>();
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

        if (diagnostics.HasErrors || training is null)
            return new ParseResult(null, diagnostics.ToEquatableArray());
        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        var description = new ModelDescription(ns, type.Name, inputShape.ToEquatableArray(), layers.ToEquatableArray(), training, model.Where);
        return new ParseResult(description, diagnostics.ToEquatableArray());
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

    private static TrainingDescription? ReadTraining(INamedTypeSymbol type, DiagnosticList diagnostics, CancellationToken cancellationToken)
    {
        var data = type.GetAttributes().FirstOrDefault(a => IsPruneAttribute(a) && a.AttributeClass!.Name == "TrainingAttribute");
        if (data is null) return new TrainingDescription("Adam", 1e-3, 1e-4, 0.9, 64, 2, 2, 42);

        var training = new AttributeArguments(data, cancellationToken);
        var errors = 0;
        void Check(bool valid, string name, string rule, object value)
        {
            if (valid) return;
            diagnostics.Add(DiagnosticDescriptors.InvalidTrainingSetting, training.Where, name, rule, value);
            errors++;
        }
        static bool Positive(double value) => value > 0 && !double.IsInfinity(value);

        var optimizer = training.Enum("Optimizer", "Adam");
        if (optimizer.Member is null)
        {
            diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, training.Where, optimizer.Written, optimizer.TypeName, optimizer.KnownMembers);
            errors++;
        }
        var rate = training.Double("LearningRate", 1e-3);
        var fineTuneRate = training.Double("FineTuneLearningRate", double.NaN);
        var momentum = training.Double("Momentum", 0.9);
        var batchSize = training.Int("BatchSize", 64);
        var epochs = training.Int("Epochs", 2);
        var fineTuneEpochs = training.Int("FineTuneEpochs", 2);
        Check(Positive(rate), "LearningRate", "greater than 0", rate);
        Check(double.IsNaN(fineTuneRate) || Positive(fineTuneRate), "FineTuneLearningRate", "greater than 0 (or NaN: a tenth of LearningRate)", fineTuneRate);
        Check(momentum >= 0 && momentum < 1, "Momentum", "in [0, 1)", momentum);
        Check(batchSize >= 1, "BatchSize", "1 or more", batchSize);
        Check(epochs >= 0, "Epochs", "0 or more", epochs);
        Check(fineTuneEpochs >= 0, "FineTuneEpochs", "0 or more", fineTuneEpochs);
        if (errors > 0) return null;
        return new TrainingDescription(optimizer.Member!, rate, double.IsNaN(fineTuneRate) ? rate / 10 : fineTuneRate, momentum,
            batchSize, epochs, fineTuneEpochs, training.Int("Seed", 42));
    }

    private static LayerDescription? ParseField(IFieldSymbol field, EquatableArray<int>? input, InheritedPruning modelPruning,
        DiagnosticList diagnostics, CancellationToken cancellationToken, out bool declaresLayer)
    {
        AttributeArguments? layerAttribute = null;
        LayerKind kind = default;
        var settings = new PruningSettings();
        foreach (var data in field.GetAttributes().Where(IsPruneAttribute))
        {
            var attribute = new AttributeArguments(data, cancellationToken);
            if (IsLayerAttribute(data) && LayerParser.KindOf(attribute.Name) is { } attributeKind)
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
        if (layerAttribute is null)
        {
            foreach (var stray in new[] { settings.Prune }.Concat(settings.Settings()).OfType<AttributeArguments>())
                diagnostics.Add(DiagnosticDescriptors.PruningSettingWithoutLayer, stray.Where, field.Name, stray.Name);
            return null;
        }

        var layerType = "Prune.Layers." + kind + "Layer";
        var fieldType = field.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "").TrimEnd('?');
        if (field.IsStatic || field.IsConst || (fieldType != "Prune.Layer" && fieldType != layerType))
        {
            var actual = field.IsStatic || field.IsConst ? "static" : "of type " + field.Type.ToDisplayString();
            diagnostics.Add(DiagnosticDescriptors.InvalidLayerField, layerAttribute.Where, field.Name, kind.ToString(), layerType, actual);
        }

        var name = field.Name;
        var arguments = LayerParser.ReadArguments(name, kind, layerAttribute, diagnostics);
        var inferred = arguments is not null && input is { } known
            ? LayerParser.Infer(name, kind, arguments, known, layerAttribute.Where, diagnostics)
            : null;
        // Whether a block or m:n pattern fits is checked only against a shape that was inferred without error.
        var pruning = ResolvePruning(name, kind, arguments, inferred is null ? null : input, settings, modelPruning, diagnostics);
        if (arguments is null || input is not { } inputShape || inferred is null) return null;
        // A pruning mistake is reported but does not stop shape inference: later layers are still checked.
        return new LayerDescription(name, kind, arguments, inputShape, inferred.Value.Output, inferred.Value.Parameters, pruning.Failed ? null : pruning.Description, layerAttribute.Where);
    }

    private static (PruningDescription? Description, bool Failed) ResolvePruning(string layer, LayerKind kind, LayerArguments? arguments,
        EquatableArray<int>? input, PruningSettings settings, InheritedPruning model, DiagnosticList diagnostics)
    {
        var prune = settings.Prune;
        if (prune is null)
        {
            foreach (var setting in settings.Settings())
                diagnostics.Add(DiagnosticDescriptors.ScheduleWithoutPrune, setting.Where, layer, setting.Name);
            return (null, false);
        }
        if (kind == LayerKind.BatchNorm)
        {
            diagnostics.Add(DiagnosticDescriptors.PruneBatchNorm, prune.Where, layer);
            return (null, true);
        }
        if (!ShapeInference.HasWeights(kind))
        {
            diagnostics.Add(DiagnosticDescriptors.PruneLayerWithoutWeights, prune.Where, layer, kind.ToString());
            return (null, true);
        }

        var owner = Invariant($"Layer '{layer}'");
        var (schedule, scheduleValid) = settings.ReadSchedule(owner, diagnostics);
        var (block, mByN, patternValid) = settings.ReadPattern(owner, diagnostics);
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
        var patternIsLayers = block is not null || mByN is not null;
        if (!patternIsLayers)
        {
            if (!model.PatternValid) return (null, true);
            (block, mByN) = (model.Block, model.MByN);
        }

        // Whether the pattern fits needs the input shape: unknown after an earlier error, which is already reported.
        if (arguments is null || input is not { } shape || (block is null && mByN is null))
            return (new PruningDescription(schedule, block, mByN), false);
        var where = patternIsLayers ? (settings.Block ?? settings.MByN)!.Where : prune.Where;
        var (rows, columns) = ShapeInference.WeightMatrix(kind, arguments, shape);
        if (block is not null && (block.Height < 1 || block.Width < 1 || rows % block.Height != 0 || columns % block.Width != 0))
        {
            diagnostics.Add(DiagnosticDescriptors.BlockDoesNotFit, where, layer, Invariant($"{block.Height}x{block.Width}"), rows, columns);
            return (null, true);
        }
        var channels = ShapeInference.InputChannels(kind, shape);
        if (mByN is not null && channels % mByN.N != 0)
        {
            diagnostics.Add(DiagnosticDescriptors.MByNDoesNotFit, where, owner,
                Invariant($"{mByN.M}:{mByN.N} sparsity groups {mByN.N} consecutive input channels, but {mByN.N} does not divide the layer's {channels} input channels"));
            return (null, true);
        }
        return (new PruningDescription(schedule, block, mByN), false);
    }

    /// <summary>The model-level pruning settings, read once and checked once, that layers fall back on.</summary>
    private sealed record InheritedPruning(ScheduleDescription? Schedule, bool ScheduleValid, BlockDescription? Block, MByNDescription? MByN, bool PatternValid);
}
