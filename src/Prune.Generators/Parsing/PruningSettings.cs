using static System.FormattableString;
using Prune.Generators.Diagnostics;
using Prune.Generators.Model;

namespace Prune.Generators.Parsing;

/// <summary>
/// The pruning attributes found on one declaration (the model class or one field), checked on their own:
/// ranges, steps, and two schedules or two patterns declared side by side.
/// </summary>
internal sealed class PruningSettings
{
    public AttributeArguments? Prune { get; set; }
    public AttributeArguments? Constant { get; set; }
    public AttributeArguments? Polynomial { get; set; }
    public AttributeArguments? Block { get; set; }
    public AttributeArguments? MByN { get; set; }

    /// <summary>Whether any schedule or pattern attribute (not [Prune] itself) is present.</summary>
    public bool HasSettings => Constant is not null || Polynomial is not null || Block is not null || MByN is not null;

    /// <summary>Records <paramref name="attribute"/> if it is one of the pruning attributes; false otherwise.</summary>
    public bool TryAdd(AttributeArguments attribute)
    {
        switch (attribute.Name)
        {
            case "Prune": Prune = attribute; return true;
            case "ConstantSparsity": Constant = attribute; return true;
            case "PolynomialDecay": Polynomial = attribute; return true;
            case "BlockSparsity": Block = attribute; return true;
            case "MByNSparsity": MByN = attribute; return true;
            default: return false;
        }
    }

    /// <summary>The attributes besides [Prune], for messages about settings that have no effect.</summary>
    public System.Collections.Generic.IEnumerable<AttributeArguments> Settings()
    {
        if (Constant is not null) yield return Constant;
        if (Polynomial is not null) yield return Polynomial;
        if (Block is not null) yield return Block;
        if (MByN is not null) yield return MByN;
    }

    /// <summary>
    /// The schedule declared here: from [Prune(target)], [ConstantSparsity] or [PolynomialDecay]. Valid is false
    /// when something was reported; Schedule is null when nothing is declared.
    /// </summary>
    public (ScheduleDescription? Schedule, bool Valid) ReadSchedule(string owner, DiagnosticList diagnostics)
    {
        var target = Prune is not null && Prune.Has("targetSparsity") ? Prune : null;
        var declared = new[] { target, Constant, Polynomial };
        AttributeArguments? first = null;
        foreach (var attribute in declared)
        {
            if (attribute is null) continue;
            if (first is null)
            {
                first = attribute;
                continue;
            }
            diagnostics.Add(DiagnosticDescriptors.ConflictingSchedules, attribute.Where, owner, Written(first), Written(attribute));
            return (null, false);
        }
        if (first is null) return (null, true);

        var errors = 0;
        double Sparsity(string name, double fallback)
        {
            var value = first.Double(name, fallback);
            if (!(value >= 0 && value < 1))
            {
                diagnostics.Add(DiagnosticDescriptors.SparsityOutOfRange, first.Where, first.Display, name, value);
                errors++;
            }
            return value;
        }
        void Steps(string schedule, int begin, int end, int frequency, bool allowNoEnd)
        {
            void Fail(string message)
            {
                diagnostics.Add(DiagnosticDescriptors.InvalidScheduleSteps, first!.Where, schedule, message);
                errors++;
            }
            // The same checks, in the same order, as Prune.Pruning.PruningSchedule's constructor.
            if (begin < 0) Fail(Invariant($"the begin step must be 0 or more, but is {begin}"));
            else if (end == -1 && !allowNoEnd) Fail("PolynomialDecay needs an end step; -1 (no end) is only allowed for ConstantSparsity");
            else if (end != -1 && end < 0) Fail(Invariant($"the end step must be -1 (no end) or 0 or more, but is {end}"));
            else if (end != -1 && end < begin) Fail(Invariant($"the end step {end} comes before the begin step {begin}"));
            if (frequency <= 0) Fail(Invariant($"the frequency must be 1 or more steps, but is {frequency}"));
        }

        ScheduleDescription schedule;
        if (ReferenceEquals(first, target))
        {
            schedule = new ScheduleDescription(false, 0, Sparsity("targetSparsity", 0), 0, -1, 0, 100);
        }
        else if (ReferenceEquals(first, Constant))
        {
            var sparsity = Sparsity("targetSparsity", 0);
            int begin = first.Int("beginStep", 0), end = first.Int("endStep", -1), frequency = first.Int("frequency", 100);
            Steps("ConstantSparsity", begin, end, frequency, allowNoEnd: true);
            schedule = new ScheduleDescription(false, 0, sparsity, begin, end, 0, frequency);
        }
        else
        {
            var initial = Sparsity("initialSparsity", 0);
            var final = Sparsity("finalSparsity", 0);
            int begin = first.Int("beginStep", 0), end = first.Int("endStep", -1), frequency = first.Int("frequency", 100);
            Steps("PolynomialDecay", begin, end, frequency, allowNoEnd: false);
            var power = first.Double("power", 3);
            if (!(power > 0 && !double.IsInfinity(power)))
            {
                diagnostics.Add(DiagnosticDescriptors.InvalidPower, first.Where, power);
                errors++;
            }
            schedule = new ScheduleDescription(true, initial, final, begin, end, power, frequency);
            // tfmot accepts a falling sparsity too, but it is almost always the two arguments swapped.
            if (errors == 0 && initial > final)
                diagnostics.Add(DiagnosticDescriptors.DecreasingSparsity, first.Where, initial, final);
        }
        return errors == 0 ? (schedule, true) : (null, false);
    }

    /// <summary>
    /// The pattern declared here ([BlockSparsity] or [MByNSparsity]), checked for what does not depend on a layer
    /// (1 ≤ m ≤ n, a known pooling). Whether it fits a weight is checked per layer.
    /// </summary>
    public (BlockDescription? Block, MByNDescription? MByN, bool Valid) ReadPattern(string owner, DiagnosticList diagnostics)
    {
        if (Block is not null && MByN is not null)
        {
            diagnostics.Add(DiagnosticDescriptors.ConflictingSchedules, MByN.Where, owner, Block.Display, MByN.Display);
            return (null, null, false);
        }
        if (Block is not null)
        {
            var pooling = Block.Enum("pooling", "Average");
            if (pooling.Member is null)
            {
                diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, Block.Where, pooling.Written, pooling.TypeName, pooling.KnownMembers);
                return (null, null, false);
            }
            return (new BlockDescription(Block.Int("height", 0), Block.Int("width", 0), pooling.Member), null, true);
        }
        if (MByN is not null)
        {
            int m = MByN.Int("m", 0), n = MByN.Int("n", 0);
            if (m < 1 || m > n)
            {
                diagnostics.Add(DiagnosticDescriptors.MByNDoesNotFit, MByN.Where, owner,
                    Invariant($"m:n sparsity keeps m of every n weights, so it needs 1 ≤ m ≤ n, but is {m}:{n}"));
                return (null, null, false);
            }
            return (null, new MByNDescription(m, n), true);
        }
        return (null, null, true);
    }

    private static string Written(AttributeArguments attribute) =>
        attribute.Name == "Prune" ? "[Prune(" + DiagnosticList.Format(attribute.Double("targetSparsity", 0)) + ")]" : attribute.Display;
}
