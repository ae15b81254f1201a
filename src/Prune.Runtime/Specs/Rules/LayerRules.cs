using static System.FormattableString;

namespace Prune.Specs.Rules;

/// <summary>
/// Each layer kind's settings and shapes, with TensorFlow's (VALID, SAME) and PyTorch's (symmetric) padding and Prune's [C, H, W] / [F] samples: what the
/// generator infers at compile time and what a spec's facts (its weight, its expected output) are computed from.
/// </summary>
internal static class LayerRules
{
    public static LayerShape Conv2D(string layer, int[]? input, int filters, int kernelHeight, int kernelWidth, int strideHeight,
        int strideWidth, WindowPadding padding, bool useBias)
    {
        var problems = new List<Problem>();
        AtLeast(problems, layer, "filters", filters, 1);
        AtLeast(problems, layer, "kernelSize", Math.Min(kernelHeight, kernelWidth), 1);
        AtLeast(problems, layer, "stride", Math.Min(strideHeight, strideWidth), 1);
        if (problems.Count > 0 || input is null) return LayerShape.Unknown(problems);
        if (NotAnImage(layer, "Conv2D", input) is { } notImage) return LayerShape.Broken(notImage);
        if (!Window(layer, input, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, pooling: false, out var h, out var w, out var tooLarge))
            return LayerShape.Broken(tooLarge!);
        long[] weight = [filters, input[0], kernelHeight, kernelWidth];
        return LayerShape.Of([filters, h, w], WeightParameters(weight, useBias), weight);
    }

    public static LayerShape DepthwiseConv2D(string layer, int[]? input, int depthMultiplier, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, WindowPadding padding, bool useBias)
    {
        var problems = new List<Problem>();
        AtLeast(problems, layer, "kernelSize", Math.Min(kernelHeight, kernelWidth), 1);
        AtLeast(problems, layer, "depthMultiplier", depthMultiplier, 1);
        AtLeast(problems, layer, "stride", Math.Min(strideHeight, strideWidth), 1);
        if (problems.Count > 0 || input is null) return LayerShape.Unknown(problems);
        if (NotAnImage(layer, "DepthwiseConv2D", input) is { } notImage) return LayerShape.Broken(notImage);
        if (!Window(layer, input, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, pooling: false, out var h, out var w, out var tooLarge))
            return LayerShape.Broken(tooLarge!);
        if (Dimension(layer, (double)input[0] * depthMultiplier, out var channels) is { } overflow) return LayerShape.Broken(overflow);
        long[] weight = [channels, 1, kernelHeight, kernelWidth];
        return LayerShape.Of([channels, h, w], WeightParameters(weight, useBias), weight);
    }

    /// <summary>MaxPool2D or AveragePool2D (<paramref name="kind"/>), its stride resolved (never 0).</summary>
    public static LayerShape Pool2D(string layer, string kind, int[]? input, int poolHeight, int poolWidth, int strideHeight, int strideWidth, WindowPadding padding)
    {
        var problems = new List<Problem>();
        AtLeast(problems, layer, "poolSize", Math.Min(poolHeight, poolWidth), 1);
        AtLeast(problems, layer, "stride", Math.Min(strideHeight, strideWidth), 1);
        if (problems.Count > 0 || input is null) return LayerShape.Unknown(problems);
        if (NotAnImage(layer, kind, input) is { } notImage) return LayerShape.Broken(notImage);
        if (!Window(layer, input, poolHeight, poolWidth, strideHeight, strideWidth, padding, pooling: true, out var h, out var w, out var tooLarge))
            return LayerShape.Broken(tooLarge!);
        return LayerShape.Of([input[0], h, w], 0);
    }

    public static LayerShape GlobalAveragePool2D(string layer, int[]? input)
    {
        if (input is null) return LayerShape.Unknown([]);
        return NotAnImage(layer, "GlobalAveragePool2D", input) is { } notImage ? LayerShape.Broken(notImage) : LayerShape.Of([input[0]], 0);
    }

    public static LayerShape Flatten(string layer, int[]? input)
    {
        if (input is null) return LayerShape.Unknown([]);
        return Dimension(layer, input.Aggregate(1.0, (product, d) => product * d), out var size) is { } overflow
            ? LayerShape.Broken(overflow)
            : LayerShape.Of([size], 0);
    }

    public static LayerShape Dense(string layer, int[]? input, int units, bool useBias)
    {
        var problems = new List<Problem>();
        AtLeast(problems, layer, "units", units, 1);
        if (problems.Count > 0 || input is null) return LayerShape.Unknown(problems);
        if (input.Length != 1)
        {
            return LayerShape.Broken(new Problem(Rule.DenseNeedsFlatInput, Invariant(
                $"Layer '{layer}': Dense needs a flat input, but its input is {Formats.Shape(input)}; add a [Flatten] or [GlobalAveragePool2D] layer before it")));
        }
        long[] weight = [units, input[0]];
        return LayerShape.Of([units], WeightParameters(weight, useBias), weight);
    }

    public static LayerShape Dropout(string layer, int[]? input, double rate)
    {
        if (!(rate >= 0 && rate < 1))
            return LayerShape.Broken(Argument(layer, Invariant($"the dropout rate must be in [0, 1), but is {Formats.Number(rate)}")));
        return input is null ? LayerShape.Unknown([]) : LayerShape.Of(input, 0);
    }

    /// <summary>An Add sums its input and its shortcut's output element by element, so both have one shape.</summary>
    public static LayerShape Add(string layer, int[]? input, string shortcut, int[]? shortcutShape)
    {
        if (input is null || shortcutShape is null) return LayerShape.Unknown([]);
        return input.SequenceEqual(shortcutShape) ? LayerShape.Of(input, 0) : LayerShape.Broken(new Problem(Rule.AddShapesDiffer, Invariant(
            $"Layer '{layer}': it adds the output of '{shortcut}', {Formats.Shape(shortcutShape)}, to its input, {Formats.Shape(input)}; both must have the same shape (project the shortcut with a 1x1 Conv2D of the right filters and stride)")));
    }

    public static LayerShape BatchNorm(string layer, int[]? input, double momentum, double epsilon)
    {
        var problems = new List<Problem>();
        if (!(momentum >= 0 && momentum <= 1)) problems.Add(Argument(layer, Invariant($"momentum must be in [0, 1], but is {Formats.Number(momentum)}")));
        if (!(epsilon > 0 && !double.IsInfinity(epsilon))) problems.Add(Argument(layer, Invariant($"epsilon must be greater than 0, but is {Formats.Number(epsilon)}")));
        if (problems.Count > 0 || input is null) return LayerShape.Unknown(problems);
        // γ and β per channel (or feature) are the trainable parameters; the running statistics are buffers.
        return LayerShape.Of(input, 2L * input[0]);
    }

    /// <summary>
    /// A BatchNorm is folded on export into the layer right before it (layers that are the identity at inference
    /// skipped), which must have a weight and no activation. <paramref name="previous"/> is null for a first layer.
    /// </summary>
    public static Problem? FoldInto(string batchNorm, string? previous, string previousKind, bool previousHasWeight, string previousActivation)
    {
        var follows = previous is null ? "nothing (it is the first layer)"
            : !previousHasWeight ? Invariant($"'{previous}', a {previousKind} layer")
            : previousActivation != "None" ? Invariant($"'{previous}', which has activation {previousActivation}")
            : null;
        return follows is null ? null : new Problem(Rule.BatchNormCannotFold, Invariant(
            $"BatchNorm '{batchNorm}' follows {follows}: a .tflite file has no batch-norm op, so BatchNorm is folded into the Conv2D, DepthwiseConv2D or Dense layer right before it, which must have no activation; put that activation on the BatchNorm instead ([BatchNorm(activation: ...)])"));
    }

    /// <summary>
    /// A BatchNorm folded into the layer it reads (back through layers that pass their input on at inference,
    /// <paramref name="passesInputOn"/>) takes the place of that layer's output in the exported file: no other layer may
    /// read that output. <paramref name="names"/> are the layers' names, by index.
    /// </summary>
    public static Problem? FoldedOutputReadElsewhere(int batchNorm, LayerGraph graph, IReadOnlyList<string> names, Func<int, bool> passesInputOn)
    {
        var target = graph.SourceThrough(graph.InputOf(batchNorm), passesInputOn);
        if (target == LayerGraph.ModelInput) return null;
        var others = graph.ReadersThrough(target, passesInputOn).Where(r => r != batchNorm).Select(r => "'" + names[r] + "'").ToList();
        return others.Count == 0 ? null : new Problem(Rule.BatchNormCannotFold, Invariant(
            $"BatchNorm '{names[batchNorm]}' folds into '{names[target]}', whose output is also read by {string.Join(", ", others)}: a .tflite file has no batch-norm op, and folded, that output no longer exists in it; read the BatchNorm's output there instead, or give that branch a BatchNorm of its own"));
    }

    /// <summary>Output size of a window along one axis: VALID floor((in − k) / s) + 1, SAME ceil(in / s), SYMMETRIC
    /// floor((in + 2p − k) / s) + 1 with p = (k − 1) / 2; 0 when the (padded) input is smaller than the window.</summary>
    public static int WindowOutput(int input, int window, int stride, WindowPadding padding)
    {
        // In long: input + stride − 1 or input + 2p must not overflow for sizes near int.MaxValue.
        if (padding == WindowPadding.Same) return (int)(((long)input + stride - 1) / stride);
        var padded = (long)input + (padding == WindowPadding.Symmetric ? 2L * WindowPaddings.SymmetricAmount(window) : 0);
        return (int)(padded < window ? 0 : (padded - window) / stride + 1);
    }

    private static bool Window(string layer, int[] input, int windowHeight, int windowWidth, int strideHeight, int strideWidth, WindowPadding padding, bool pooling,
        out int height, out int width, out Problem? problem)
    {
        height = WindowOutput(input[1], windowHeight, strideHeight, padding);
        width = WindowOutput(input[2], windowWidth, strideWidth, padding);
        problem = null;
        if (height > 0 && width > 0) return true;
        var size = Formats.Size(windowHeight, windowWidth);
        var named = padding == WindowPadding.Symmetric ? "SYMMETRIC" : "VALID";
        problem = pooling
            ? new Problem(Rule.PoolingToZero, Invariant(
                $"Layer '{layer}': a {size} window over the input {Formats.Shape(input)} leaves no output with {named} padding; use a smaller window, padding: Padding.Same, or remove a layer that shrinks the input before it"))
            : new Problem(Rule.KernelLargerThanInput, Invariant(
                $"Layer '{layer}': the {size} kernel does not fit the input {Formats.Shape(input)} with {named} padding; use a smaller kernel, padding: Padding.Same, or remove a pooling layer before it"));
        return false;
    }

    private static Problem? NotAnImage(string layer, string kind, int[] input) => input.Length == 3 ? null : new Problem(Rule.NeedsImageInput,
        Invariant($"Layer '{layer}': {kind} needs an input of shape [channels, height, width], but its input is {Formats.Shape(input)}"));

    /// <summary>Weights plus, with a bias, one per output (the weight's first dimension).</summary>
    private static long WeightParameters(long[] weight, bool useBias) => weight.Aggregate(1L, (product, d) => product * d) + (useBias ? weight[0] : 0);

    private static Problem? Dimension(string layer, double size, out int dimension)
    {
        dimension = size <= int.MaxValue ? (int)size : 0;
        return size <= int.MaxValue ? null
            : Argument(layer, Invariant($"its output dimension of {Formats.Number(size)} values is too large for a tensor dimension"));
    }

    private static void AtLeast(List<Problem> problems, string layer, string name, int value, int minimum)
    {
        if (value < minimum) problems.Add(Argument(layer, Invariant($"{name} must be {minimum} or more, but is {value}")));
    }

    private static Problem Argument(string layer, string problem) => new(Rule.InvalidLayerArgument, Invariant($"Layer '{layer}': {problem}"));
}
