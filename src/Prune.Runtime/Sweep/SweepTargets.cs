using System.Globalization;
using Prune.Specs;
using Prune.Specs.Rules;

namespace Prune.Sweep;

/// <summary>
/// The model as it would be declared with another target: every <c>[Prune]</c> layer prunes to the target with its own
/// schedule's shape (kind, begin and end steps, power, frequency; a PolynomialDecay's start scaled with its end) and its
/// own pattern (blocks stay blocks): <see cref="PruningSchedule.EndingAt"/>. An m:n layer keeps its pattern, whose sparsity no target changes.
/// </summary>
internal static class SweepTargets
{
    /// <summary>Checks a list of targets: at least one, each in [0, 1), none twice. Returns them in ascending order.</summary>
    /// <exception cref="ArgumentException">The list is unusable; the message says why, naming the value.</exception>
    public static IReadOnlyList<double> Check(IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0) throw new ArgumentException("The list of targets is empty: give sparsities in [0, 1), such as 0.5,0.7,0.9.");
        // The range rule every sparsity follows, with its message.
        if (targets.Select(t => PruningRules.Sparsity("The", "target", t)).FirstOrDefault(p => p is not null) is { } outOfRange)
            throw new ArgumentException(outOfRange.Message);
        if (targets.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The target {twice.Key} is listed twice."));
        return [.. targets.Order()];
    }

    /// <summary>Reads <c>0.5,0.7,0.9</c> (invariant culture) and checks it as <see cref="Check"/> does.</summary>
    /// <exception cref="ArgumentException">A value is not a number, or the list is unusable.</exception>
    public static IReadOnlyList<double> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(part =>
            double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ArgumentException($"The target '{part}' is not a number: write sparsities such as 0.5,0.7,0.9.")).ToList();
        return Check(values);
    }

    /// <summary><paramref name="spec"/> with every pruned layer aimed at <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentException">No layer's sparsity can follow a target: none is pruned, or all are m:n.</exception>
    public static ModelSpec At(ModelSpec spec, double target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.PrunedLayers.Any(l => l.Pruning!.MByN is null))
        {
            throw new ArgumentException(spec.PrunedLayers.Any()
                ? $"Every pruned layer of {spec.Name} is m:n, whose sparsity its pattern fixes: there is no target to sweep."
                : $"{spec.Name} has no layer marked [Prune]: there is nothing to sweep.");
        }
        return spec with
        {
            Layers = [.. spec.Layers.Select(layer => layer.Pruning is { MByN: null } pruning
                ? layer with { Pruning = pruning with { Schedule = pruning.Schedule.EndingAt(target) } }
                : layer)],
        };
    }
}
