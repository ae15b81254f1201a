using System.Collections.Immutable;
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
    /// <summary>
    /// The members Prune provides; the user's class must not declare them. <c>forward</c> is <c>Prune.Model</c>'s, which
    /// runs the layers as the spec connects them: a class of its own would train a model other than the one its spec
    /// describes, and export and calibration read the spec.
    /// </summary>
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
        var normalization = shapeIsValid ? ReadNormalization(type, inputShape, diagnostics, cancellationToken) : null;

        var modelSettings = new PruningSettings();
        foreach (var data in type.GetAttributes().Where(IsPruneAttribute))
            modelSettings.TryAdd(new AttributeArguments(data, cancellationToken));
        var modelOwner = Invariant($"Model '{type.Name}'");
        var (modelSchedule, modelScheduleValid) = modelSettings.ReadSchedule(modelOwner, diagnostics);
        var (modelPattern, modelPatternValid) = modelSettings.ReadPattern(modelOwner, diagnostics);
        var modelPruning = new InheritedPruning(modelSchedule, modelScheduleValid, modelPattern, modelPatternValid);

        var parser = new LayerParser(shapeIsValid ? inputShape.ToEquatableArray() : null, modelPruning, diagnostics);
        var declaredLayers = 0;
        foreach (var field in fields)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parser.Parse(field, cancellationToken)) declaredLayers++;
        }
        if (declaredLayers == 0) diagnostics.Add(DiagnosticDescriptors.NoLayers, className, type.Name);
        var layers = parser.Finish();

        if (diagnostics.HasErrors || training is null)
            return new ParseResult(null, diagnostics.ToEquatableArray());
        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        var spec = new ModelSpec(ns, type.Name, inputShape.ToEquatableArray(), layers.ToEquatableArray(), training, model.Where)
        {
            Pretrained = ReadPretrained(type, cancellationToken),
            Normalization = normalization,
        };
        return new ParseResult(spec, diagnostics.ToEquatableArray());
    }

    public static bool IsPruneAttribute(AttributeData data) =>
        data.AttributeClass is { ContainingNamespace: { Name: "Prune", ContainingNamespace.IsGlobalNamespace: true } };

    public static bool IsModelAttribute(AttributeData data) => IsPruneAttribute(data) && data.AttributeClass!.Name == "ModelAttribute";

    public static bool IsLayerAttribute(AttributeData data)
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

    /// <summary>[Normalize(mean, std)], or null; checked against the input shape (an image's channels).</summary>
    private static NormalizationSpec? ReadNormalization(INamedTypeSymbol type, ImmutableArray<int> inputShape, DiagnosticList diagnostics,
        CancellationToken cancellationToken)
    {
        var data = type.GetAttributes().FirstOrDefault(a => IsPruneAttribute(a) && a.AttributeClass!.Name == "NormalizeAttribute");
        if (data is null || AttributeArguments.HasErrors(data)) return null;
        var normalize = new AttributeArguments(data, cancellationToken);
        var (mean, std) = (normalize.Doubles("mean"), normalize.Doubles("std"));
        return diagnostics.AddAll([ModelRules.Normalization(inputShape, mean, std)], normalize.Where)
            ? new NormalizationSpec(mean.ToEquatableArray(), std.ToEquatableArray())
            : null;
    }

    /// <summary>[Pretrained(path, IncludeTop = ..., FreezeEpochs = ...)], or null; the file itself is read by the build.</summary>
    private static PretrainedSpec? ReadPretrained(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var data = type.GetAttributes().FirstOrDefault(a => IsPruneAttribute(a) && a.AttributeClass!.Name == "PretrainedAttribute");
        if (data is null) return null;
        var pretrained = new AttributeArguments(data, cancellationToken);
        return new PretrainedSpec(pretrained.String("path") ?? "", pretrained.Bool("IncludeTop", true), pretrained.Int("FreezeEpochs", 0));
    }
}
