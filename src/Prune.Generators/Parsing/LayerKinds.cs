using System.Collections.Immutable;
using Prune.Generators.Emitting;
using Prune.Generators.Specs;
using Prune.Specs.Rules;
using static System.FormattableString;

namespace Prune.Generators.Parsing;

/// <summary>What a layer attribute declares: the layer's shape on its input (or the rules it breaks), its activation, and
/// the properties of its runtime spec.</summary>
internal sealed record LayerReading(LayerShape Shape, string Activation, ImmutableArray<SpecProperty> Properties);

/// <summary>
/// A layer kind as the generator knows it: the attribute that declares it (<c>[Conv2D]</c>), how its arguments are read,
/// what it gives on its input by the rules the runtime's specs use (<see cref="LayerRules"/>), and which properties of
/// its runtime spec (<c>Prune.Specs.Conv2DSpec</c>) the emitter writes. The runtime's module is
/// <c>Prune.Layers.Conv2DLayer</c>. Adding a kind adds one class here.
/// </summary>
internal abstract class LayerKind(string name)
{
    /// <summary>Every kind, by attribute.</summary>
    public static readonly ImmutableArray<LayerKind> All =
    [
        new Conv2D(), new DepthwiseConv2D(), new Pool2D("MaxPool2D"), new Pool2D("AveragePool2D"), new GlobalAveragePool2D(),
        new Flatten(), new Dense(), new Dropout(), new BatchNorm(), new Add(),
    ];

    /// <summary>The kind an attribute declares (its name without the suffix), or null when it is not one of Prune's layers.</summary>
    public static LayerKind? Named(string attribute) => All.FirstOrDefault(k => k.Name == attribute);

    /// <summary>The attribute's name without its suffix.</summary>
    public string Name => name;

    /// <summary>Whether the layer has a weight, which pruning masks.</summary>
    public virtual bool HasWeight => false;

    /// <summary>Whether the layer passes its input through at inference; a BatchNorm after it folds into the layer before it.</summary>
    public virtual bool IsIdentityAtInference => false;

    /// <summary>Whether export folds the layer into the weight layer before it.</summary>
    public virtual bool FoldsIntoPrevious => false;

    /// <summary>Reads the layer's arguments and what they give on its input.</summary>
    public abstract LayerReading Read(LayerReader reader);

    private static SpecProperty Int(string name, int value) => new(name, Literals.Int(value));

    private static SpecProperty Double(string name, double value) => new(name, Literals.Double(value));

    private static SpecProperty Bool(string name, bool value) => new(name, Literals.Bool(value));

    private static SpecProperty Size(string name, int square) => new(name, "new(" + Literals.Int(square) + ", " + Literals.Int(square) + ")");

    private static SpecProperty Enum(string name, string member) => new(name, "global::Prune." + name + "." + member);

    private static SpecProperty String(string name, string? value) => new(name, Literals.String(value ?? ""));

    private static SpecProperty Shape(string name, int[]? shape) => new(name, Literals.Shape(shape ?? []));

    private sealed class Conv2D() : LayerKind("Conv2D")
    {
        public override bool HasWeight => true;

        public override LayerReading Read(LayerReader r)
        {
            int filters = r.Int("filters"), kernel = r.Int("kernelSize"), stride = r.Int("stride");
            string padding = r.Enum("padding", "Valid"), activation = r.Enum("activation", "None");
            var useBias = r.Bool("useBias");
            return new(LayerRules.Conv2D(r.Layer, r.Input, filters, kernel, kernel, stride, stride, WindowPaddings.Named(padding), useBias), activation,
                [Int("Filters", filters), Size("Kernel", kernel), Size("Stride", stride), Enum("Padding", padding), Enum("Activation", activation), Bool("UseBias", useBias)]);
        }
    }

    private sealed class DepthwiseConv2D() : LayerKind("DepthwiseConv2D")
    {
        public override bool HasWeight => true;

        public override LayerReading Read(LayerReader r)
        {
            int multiplier = r.Int("depthMultiplier"), kernel = r.Int("kernelSize"), stride = r.Int("stride");
            string padding = r.Enum("padding", "Valid"), activation = r.Enum("activation", "None");
            var useBias = r.Bool("useBias");
            return new(LayerRules.DepthwiseConv2D(r.Layer, r.Input, multiplier, kernel, kernel, stride, stride, WindowPaddings.Named(padding), useBias), activation,
                [Int("DepthMultiplier", multiplier), Size("Kernel", kernel), Size("Stride", stride), Enum("Padding", padding), Enum("Activation", activation), Bool("UseBias", useBias)]);
        }
    }

    /// <summary>MaxPool2D and AveragePool2D: the attribute's stride 0 means the pool size (the spec holds the resolved stride).</summary>
    private sealed class Pool2D(string name) : LayerKind(name)
    {
        public override LayerReading Read(LayerReader r)
        {
            int pool = r.Int("poolSize"), stride = r.Int("stride");
            var padding = r.Enum("padding", "Valid");
            if (stride < 0) r.Fail(Invariant($"Layer '{r.Layer}': stride must be 0 (the pool size) or more, but is {stride}"));
            if (stride == 0) stride = pool;
            return new(LayerRules.Pool2D(r.Layer, Name, r.Input, pool, pool, stride, stride, WindowPaddings.Named(padding)), "None",
                [Size("Pool", pool), Size("Stride", stride), Enum("Padding", padding)]);
        }
    }

    private sealed class GlobalAveragePool2D() : LayerKind("GlobalAveragePool2D")
    {
        public override LayerReading Read(LayerReader r) => new(LayerRules.GlobalAveragePool2D(r.Layer, r.Input), "None", []);
    }

    private sealed class Flatten() : LayerKind("Flatten")
    {
        public override LayerReading Read(LayerReader r) => new(LayerRules.Flatten(r.Layer, r.Input), "None", []);
    }

    private sealed class Dense() : LayerKind("Dense")
    {
        public override bool HasWeight => true;

        public override LayerReading Read(LayerReader r)
        {
            var units = r.Int("units");
            var activation = r.Enum("activation", "None");
            var useBias = r.Bool("useBias");
            return new(LayerRules.Dense(r.Layer, r.Input, units, useBias), activation,
                [Int("Units", units), Enum("Activation", activation), Bool("UseBias", useBias)]);
        }
    }

    private sealed class Dropout() : LayerKind("Dropout")
    {
        public override bool IsIdentityAtInference => true;

        public override LayerReading Read(LayerReader r)
        {
            var rate = r.Double("rate");
            return new(LayerRules.Dropout(r.Layer, r.Input, rate), "None", [Double("Rate", rate)]);
        }
    }

    private sealed class BatchNorm() : LayerKind("BatchNorm")
    {
        public override bool FoldsIntoPrevious => true;

        public override LayerReading Read(LayerReader r)
        {
            double momentum = r.Double("momentum"), epsilon = r.Double("epsilon");
            var activation = r.Enum("activation", "None");
            return new(LayerRules.BatchNorm(r.Layer, r.Input, momentum, epsilon), activation,
                [Double("Momentum", momentum), Double("Epsilon", epsilon), Enum("Activation", activation)]);
        }
    }

    /// <summary>Adds the output of the layer its <c>shortcut</c> names to its input.</summary>
    private sealed class Add() : LayerKind("Add")
    {
        public override LayerReading Read(LayerReader r)
        {
            var activation = r.Enum("activation", "None");
            var (shortcut, shape) = r.Reads("shortcut");
            return new(LayerRules.Add(r.Layer, r.Input, shortcut ?? "", shape), activation,
                [String("Shortcut", shortcut), Shape("ShortcutShape", shape), Enum("Activation", activation)]);
        }
    }
}
