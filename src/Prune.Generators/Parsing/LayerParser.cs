using System;
using System.Linq;
using static System.FormattableString;
using Prune.Generators.Diagnostics;
using Prune.Generators.Model;

namespace Prune.Generators.Parsing;

/// <summary>Reads one layer attribute, checks its arguments, and infers its output shape from its input shape.</summary>
internal static class LayerParser
{
    /// <summary>The kind an attribute declares, or null when it is not one of Prune's layer attributes.</summary>
    public static LayerKind? KindOf(string attributeName) =>
        Enum.TryParse<LayerKind>(attributeName, out var kind) ? kind : null;

    /// <summary>The arguments of <paramref name="attribute"/>, or null after reporting why they are invalid.</summary>
    public static LayerArguments? ReadArguments(string layer, LayerKind kind, AttributeArguments attribute, DiagnosticList diagnostics)
    {
        var errors = 0;
        void Fail(string message)
        {
            diagnostics.Add(DiagnosticDescriptors.InvalidLayerArgument, attribute.Where, layer, message);
            errors++;
        }
        void AtLeast(string name, int value, int minimum)
        {
            if (value < minimum) Fail(Invariant($"{name} must be {minimum} or more, but is {value}"));
        }
        string ReadEnum(string name, string fallback)
        {
            var value = attribute.Enum(name, fallback);
            if (value.Member is not null) return value.Member;
            diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, attribute.Where, value.Written, value.TypeName, value.KnownMembers);
            errors++;
            return fallback;
        }

        var arguments = new LayerArguments
        {
            Filters = attribute.Int("filters", 0),
            Units = attribute.Int("units", 0),
            KernelSize = attribute.Int("kernelSize", 0),
            DepthMultiplier = attribute.Int("depthMultiplier", 1),
            PoolSize = attribute.Int("poolSize", 2),
            Stride = attribute.Int("stride", 1),
            Padding = ReadEnum("padding", "Valid"),
            Activation = ReadEnum("activation", "None"),
            UseBias = attribute.Bool("useBias", true),
            Rate = attribute.Double("rate", 0),
            Momentum = attribute.Double("momentum", 0.99),
            Epsilon = attribute.Double("epsilon", 1e-3),
        };

        switch (kind)
        {
            case LayerKind.Conv2D:
                AtLeast("filters", arguments.Filters, 1);
                AtLeast("kernelSize", arguments.KernelSize, 1);
                AtLeast("stride", arguments.Stride, 1);
                break;
            case LayerKind.DepthwiseConv2D:
                AtLeast("kernelSize", arguments.KernelSize, 1);
                AtLeast("depthMultiplier", arguments.DepthMultiplier, 1);
                AtLeast("stride", arguments.Stride, 1);
                break;
            case LayerKind.MaxPool2D or LayerKind.AveragePool2D:
                AtLeast("poolSize", arguments.PoolSize, 1);
                // 0 means "the pool size"; the runtime's specs hold the resolved stride.
                AtLeast("stride", arguments.Stride, 0);
                if (arguments.Stride == 0) arguments = arguments with { Stride = arguments.PoolSize };
                break;
            case LayerKind.Dense:
                AtLeast("units", arguments.Units, 1);
                break;
            case LayerKind.Dropout:
                if (!(arguments.Rate >= 0 && arguments.Rate < 1)) Fail(Invariant($"the dropout rate must be in [0, 1), but is {DiagnosticList.Format(arguments.Rate)}"));
                break;
            case LayerKind.BatchNorm:
                if (!(arguments.Momentum >= 0 && arguments.Momentum <= 1)) Fail(Invariant($"momentum must be in [0, 1], but is {DiagnosticList.Format(arguments.Momentum)}"));
                if (!(arguments.Epsilon > 0 && !double.IsInfinity(arguments.Epsilon))) Fail(Invariant($"epsilon must be greater than 0, but is {DiagnosticList.Format(arguments.Epsilon)}"));
                break;
        }
        return errors == 0 ? arguments : null;
    }

    /// <summary>The output shape and parameter count, or null after reporting why the layer does not fit its input.</summary>
    public static (EquatableArray<int> Output, long Parameters)? Infer(
        string layer, LayerKind kind, LayerArguments arguments, EquatableArray<int> input, SourceSpot where, DiagnosticList diagnostics)
    {
        var shape = DiagnosticList.Shape(input);
        bool NeedsImage()
        {
            if (input.Count == 3) return true;
            diagnostics.Add(DiagnosticDescriptors.NeedsImageInput, where, layer, kind.ToString(), shape);
            return false;
        }
        EquatableArray<int>? Window(int window, int stride, bool isPooling)
        {
            var height = ShapeInference.WindowOutput(input[1], window, stride, arguments.Padding);
            var width = ShapeInference.WindowOutput(input[2], window, stride, arguments.Padding);
            if (height > 0 && width > 0) return new EquatableArray<int>([height, width]);
            var size = Invariant($"{window}x{window}");
            diagnostics.Add(isPooling ? DiagnosticDescriptors.PoolingToZero : DiagnosticDescriptors.KernelLargerThanInput, where, layer, size, shape);
            return null;
        }
        (EquatableArray<int>, long)? Result(long parameters, params int[] output) => (output.ToEquatableArray(), parameters);
        int? TooLarge(double size)
        {
            if (size <= int.MaxValue) return (int)size;
            diagnostics.Add(DiagnosticDescriptors.InvalidLayerArgument, where, layer, Invariant($"its output dimension of {size} values is too large for a tensor dimension"));
            return null;
        }

        switch (kind)
        {
            case LayerKind.Conv2D:
                {
                    if (!NeedsImage() || Window(arguments.KernelSize, arguments.Stride, isPooling: false) is not { } hw) return null;
                    var perOutput = (long)input[0] * arguments.KernelSize * arguments.KernelSize;
                    return Result(ShapeInference.WeightParameters(arguments.Filters, perOutput, arguments.UseBias), arguments.Filters, hw[0], hw[1]);
                }
            case LayerKind.DepthwiseConv2D:
                {
                    if (!NeedsImage() || Window(arguments.KernelSize, arguments.Stride, isPooling: false) is not { } hw) return null;
                    if (TooLarge((double)input[0] * arguments.DepthMultiplier) is not { } channels) return null;
                    return Result(ShapeInference.WeightParameters(channels, (long)arguments.KernelSize * arguments.KernelSize, arguments.UseBias), channels, hw[0], hw[1]);
                }
            case LayerKind.MaxPool2D or LayerKind.AveragePool2D:
                {
                    if (!NeedsImage() || Window(arguments.PoolSize, arguments.Stride, isPooling: true) is not { } hw) return null;
                    return Result(0, input[0], hw[0], hw[1]);
                }
            case LayerKind.GlobalAveragePool2D:
                return NeedsImage() ? Result(0, input[0]) : null;
            case LayerKind.Flatten:
                return TooLarge(input.Aggregate(1.0, (product, d) => product * d)) is { } flat ? Result(0, flat) : null;
            case LayerKind.Dense:
                if (input.Count != 1)
                {
                    diagnostics.Add(DiagnosticDescriptors.DenseNeedsFlatInput, where, layer, shape);
                    return null;
                }
                return Result(ShapeInference.WeightParameters(arguments.Units, input[0], arguments.UseBias), arguments.Units);
            case LayerKind.Dropout:
                return Result(0, [.. input]);
            case LayerKind.BatchNorm:
                // γ and β per channel (or feature) are the trainable parameters; the running statistics are buffers.
                return Result(2L * input[0], [.. input]);
            default:
                return null;
        }
    }
}
