using Prune.Generators.Diagnostics;
using Prune.Generators.Specs;
using Prune.Specs.Rules;

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
    public AttributeArguments? Filter { get; set; }

    /// <summary>Whether any schedule or pattern attribute (not [Prune] itself) is present.</summary>
    public bool HasSettings => Constant is not null || Polynomial is not null || Block is not null || MByN is not null || Filter is not null;

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
            case "FilterSparsity": Filter = attribute; return true;
            default: return false;
        }
    }

    /// <summary>The attributes besides [Prune], for messages about settings that have no effect.</summary>
    public IEnumerable<AttributeArguments> Settings()
    {
        if (Constant is not null) yield return Constant;
        if (Polynomial is not null) yield return Polynomial;
        if (Block is not null) yield return Block;
        if (MByN is not null) yield return MByN;
        if (Filter is not null) yield return Filter;
    }

    /// <summary>
    /// The schedule declared here: from [Prune(target)], [ConstantSparsity] or [PolynomialDecay]. Valid is false
    /// when something was reported; Schedule is null when nothing is declared.
    /// </summary>
    public (ScheduleSpec? Schedule, bool Valid) ReadSchedule(string owner, DiagnosticList diagnostics)
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
        double Sparsity(string name)
        {
            var value = first.Double(name, 0);
            if (!diagnostics.AddAll([PruningRules.Sparsity(first.Display, name, value)], first.Where)) errors++;
            return value;
        }
        (int Begin, int End, int Frequency) Steps(string schedule, bool allowNoEnd)
        {
            int begin = first.Int("beginStep", 0), end = first.Int("endStep", -1), frequency = first.Int("frequency", 100);
            if (!diagnostics.AddAll(PruningRules.Steps(schedule, begin, end, frequency, allowNoEnd), first.Where)) errors++;
            return (begin, end, frequency);
        }

        ScheduleSpec schedule;
        if (ReferenceEquals(first, target))
        {
            schedule = new ScheduleSpec(false, 0, Sparsity("targetSparsity"), 0, -1, 0, 100);
        }
        else if (ReferenceEquals(first, Constant))
        {
            var sparsity = Sparsity("targetSparsity");
            var (begin, end, frequency) = Steps("ConstantSparsity", allowNoEnd: true);
            schedule = new ScheduleSpec(false, 0, sparsity, begin, end, 0, frequency);
        }
        else
        {
            var initial = Sparsity("initialSparsity");
            var final = Sparsity("finalSparsity");
            var (begin, end, frequency) = Steps("PolynomialDecay", allowNoEnd: false);
            var power = first.Double("power", 3);
            if (!diagnostics.AddAll([PruningRules.Power(power)], first.Where)) errors++;
            schedule = new ScheduleSpec(true, initial, final, begin, end, power, frequency);
            // A warning, reported only for a schedule that is otherwise sound.
            if (errors == 0) diagnostics.AddAll([PruningRules.Decreasing(initial, final)], first.Where);
        }
        return errors == 0 ? (schedule, true) : (null, false);
    }

    /// <summary>
    /// The pattern declared here ([BlockSparsity], [MByNSparsity] or [FilterSparsity]), checked for what does not
    /// depend on a layer (1 ≤ m ≤ n, a known pooling or criterion). Whether it fits a weight is checked per layer.
    /// </summary>
    public (Pattern Pattern, bool Valid) ReadPattern(string owner, DiagnosticList diagnostics)
    {
        var declared = new[] { Block, MByN, Filter }.Where(a => a is not null).ToList();
        if (declared.Count > 1)
        {
            diagnostics.Add(DiagnosticDescriptors.ConflictingSchedules, declared[1]!.Where, owner, declared[0]!.Display, declared[1]!.Display);
            return (Pattern.None, false);
        }
        if (Block is not null)
        {
            var pooling = Block.Enum("pooling", "Average");
            if (pooling.Member is null)
            {
                diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, Block.Where, pooling.Written, pooling.TypeName, pooling.KnownMembers);
                return (Pattern.None, false);
            }
            return (new Pattern(new BlockSpec(Block.Int("height", 0), Block.Int("width", 0), pooling.Member), null, null), true);
        }
        if (MByN is not null)
        {
            int m = MByN.Int("m", 0), n = MByN.Int("n", 0);
            return diagnostics.AddAll([PruningRules.MByN(owner, m, n)], MByN.Where) ? (new Pattern(null, new MByNSpec(m, n), null), true) : (Pattern.None, false);
        }
        if (Filter is not null)
        {
            var criterion = Filter.Enum("criterion", "L1");
            if (criterion.Member is null)
            {
                diagnostics.Add(DiagnosticDescriptors.UnknownEnumValue, Filter.Where, criterion.Written, criterion.TypeName, criterion.KnownMembers);
                return (Pattern.None, false);
            }
            return (new Pattern(null, null, new FilterSpec(criterion.Member, Filter.Where)), true);
        }
        return (Pattern.None, true);
    }

    /// <summary>The attribute that declared the pattern, if any.</summary>
    public AttributeArguments? PatternAttribute => Block ?? MByN ?? Filter;

    private static string Written(AttributeArguments attribute) =>
        attribute.Name == "Prune" ? "[Prune(" + DiagnosticList.Format(attribute.Double("targetSparsity", 0)) + ")]" : attribute.Display;
}

/// <summary>A pruning pattern as declared: at most one of block, m:n and filter; none for single weights.</summary>
internal sealed record Pattern(BlockSpec? Block, MByNSpec? MByN, FilterSpec? Filter)
{
    public static readonly Pattern None = new(null, null, null);

    public bool IsDeclared => Block is not null || MByN is not null || Filter is not null;
}
