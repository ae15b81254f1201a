using System.Globalization;
using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>What a schedule says at one fine-tuning step.</summary>
/// <param name="UpdateMask">Whether masks are recomputed at this step.</param>
/// <param name="Sparsity">The sparsity a recomputed mask reaches.</param>
internal readonly record struct ScheduleDecision(bool UpdateMask, double Sparsity);

/// <summary>
/// When masks are recomputed during fine-tuning and how sparse they become, with the semantics of
/// tfmot's <c>pruning_schedule.py</c>: a mask updates at step s when begin ≤ s, (s ≤ end or end = −1),
/// and (s − begin) is a multiple of the frequency.
/// </summary>
public abstract record PruningSchedule
{
    /// <summary>Checks the steps as tfmot does, naming the offending value.</summary>
    /// <exception cref="InvalidSpecException">A step or the frequency is out of its range.</exception>
    private protected PruningSchedule(string name, long beginStep, long endStep, long frequency, bool allowNoEnd)
    {
        InvalidSpecException.ThrowIfAny(PruningRules.Steps(name, beginStep, endStep, frequency, allowNoEnd));
        BeginStep = beginStep;
        EndStep = endStep;
        Frequency = frequency;
    }

    /// <summary>First step that updates masks.</summary>
    public long BeginStep { get; }

    /// <summary>Last step that updates masks; −1 for no end.</summary>
    public long EndStep { get; }

    /// <summary>Steps between mask updates.</summary>
    public long Frequency { get; }

    /// <summary>The sparsity masks reach once the schedule is done.</summary>
    public abstract double FinalSparsity { get; }

    /// <summary>What the schedule says at <paramref name="step"/> (0-based fine-tuning step).</summary>
    internal ScheduleDecision At(long step) => new(IsUpdateStep(step), SparsityAt(step));

    /// <summary>The sparsity the schedule asks for at <paramref name="step"/>, whether or not masks update then.</summary>
    public abstract double SparsityAt(long step);

    /// <summary>The same schedule (kind, steps, shape) ending at <paramref name="finalSparsity"/>: a sparsity sweep's point.</summary>
    /// <exception cref="InvalidSpecException">The sparsity is out of its range.</exception>
    internal abstract PruningSchedule EndingAt(double finalSparsity);

    private bool IsUpdateStep(long step) =>
        step >= BeginStep && (EndStep < 0 || step <= EndStep) && (step - BeginStep) % Frequency == 0;

    /// <summary>Throws unless 0 ≤ <paramref name="sparsity"/> &lt; 1.</summary>
    private protected static double CheckSparsity(string schedule, string name, double sparsity)
    {
        InvalidSpecException.ThrowIfAny(PruningRules.Sparsity(schedule, name, sparsity));
        return sparsity;
    }
}

/// <summary>tfmot's <c>ConstantSparsity(target, begin, end = −1, frequency = 100)</c>.</summary>
public sealed record ConstantSparsity : PruningSchedule
{
    /// <summary>A constant target from <paramref name="beginStep"/> on.</summary>
    /// <exception cref="InvalidSpecException">The target, a step or the frequency is out of its range.</exception>
    public ConstantSparsity(double targetSparsity, long beginStep = 0, long endStep = -1, long frequency = 100)
        : base(nameof(ConstantSparsity), beginStep, endStep, frequency, allowNoEnd: true) =>
        TargetSparsity = CheckSparsity(nameof(ConstantSparsity), nameof(targetSparsity), targetSparsity);

    /// <summary>The fraction of zeros.</summary>
    public double TargetSparsity { get; }

    /// <inheritdoc/>
    public override double FinalSparsity => TargetSparsity;

    /// <inheritdoc/>
    public override double SparsityAt(long step) => TargetSparsity;

    internal override PruningSchedule EndingAt(double finalSparsity) => new ConstantSparsity(finalSparsity, BeginStep, EndStep, Frequency);

    /// <summary>As written in reports.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ConstantSparsity({TargetSparsity}, begin {BeginStep}, end {EndStep}, every {Frequency})");
}

/// <summary>tfmot's <c>PolynomialDecay(initial, final, begin, end, power = 3, frequency = 100)</c>.</summary>
public sealed record PolynomialDecay : PruningSchedule
{
    /// <summary>Sparsity rising from <paramref name="initialSparsity"/> to <paramref name="finalSparsity"/>.</summary>
    /// <exception cref="InvalidSpecException">A sparsity, a step, the power or the frequency is out of its range.</exception>
    public PolynomialDecay(double initialSparsity, double finalSparsity, long beginStep, long endStep, double power = 3, long frequency = 100)
        : base(nameof(PolynomialDecay), beginStep, endStep, frequency, allowNoEnd: false)
    {
        InitialSparsity = CheckSparsity(nameof(PolynomialDecay), nameof(initialSparsity), initialSparsity);
        FinalSparsity = CheckSparsity(nameof(PolynomialDecay), nameof(finalSparsity), finalSparsity);
        InvalidSpecException.ThrowIfAny(PruningRules.Power(power));
        Power = power;
    }

    /// <summary>Sparsity at the begin step.</summary>
    public double InitialSparsity { get; }

    /// <inheritdoc/>
    public override double FinalSparsity { get; }

    /// <summary>Exponent of the decay.</summary>
    public double Power { get; }

    /// <summary><c>final + (initial − final)(1 − p)^power</c>, p = clamp((step − begin) / (end − begin), 0, 1).</summary>
    public override double SparsityAt(long step)
    {
        // tfmot divides by (end − begin) in float32; with end = begin the schedule is a step to the final value.
        var span = EndStep - BeginStep;
        var p = span == 0 ? (step >= EndStep ? 1.0 : 0.0) : Math.Clamp((double)(step - BeginStep) / span, 0.0, 1.0);
        return (InitialSparsity - FinalSparsity) * Math.Pow(1 - p, Power) + FinalSparsity;
    }

    /// <summary>The start scales with the end, so the curve keeps its shape; it never starts above the end (a falling decay becomes flat).</summary>
    internal override PruningSchedule EndingAt(double finalSparsity) => new PolynomialDecay(
        Math.Min(FinalSparsity > 0 ? InitialSparsity * finalSparsity / FinalSparsity : InitialSparsity, finalSparsity),
        finalSparsity, BeginStep, EndStep, Power, Frequency);

    /// <summary>As written in reports.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"PolynomialDecay({InitialSparsity} → {FinalSparsity}, steps {BeginStep}–{EndStep}, power {Power}, every {Frequency})");
}
