using Prune.Specs;

namespace Prune.Runtime.Tests.Pruning;

public class PruningScheduleTests
{
    // tfmot's published formula: s = final + (initial − final)·(1 − p)^power, p = clamp((step − begin)/(end − begin), 0, 1).
    [Theory]
    [InlineData(0, 0.2)]       // before begin: the initial sparsity
    [InlineData(100, 0.2)]     // at begin: p = 0
    [InlineData(150, 0.725)]   // p = 0.5: 0.8 − 0.6·0.125
    [InlineData(175, 0.790625)] // p = 0.75: 0.8 − 0.6·0.015625
    [InlineData(200, 0.8)]     // at end
    [InlineData(5000, 0.8)]    // after end
    public void PolynomialDecay_follows_the_published_formula(long step, double expected)
    {
        var schedule = new PolynomialDecay(0.2, 0.8, beginStep: 100, endStep: 200);
        Assert.Equal(expected, schedule.SparsityAt(step), 12);
    }

    [Fact]
    public void PolynomialDecay_with_power_1_is_linear()
    {
        var schedule = new PolynomialDecay(0, 0.5, beginStep: 0, endStep: 1000, power: 1);
        Assert.Equal(0.125, schedule.SparsityAt(250), 12);
    }

    [Theory]
    [InlineData(50, false)]   // before begin
    [InlineData(100, true)]   // begin
    [InlineData(150, false)]  // between updates
    [InlineData(300, true)]
    [InlineData(1000, true)]  // end, on a multiple
    [InlineData(1100, false)] // after end
    public void Masks_update_from_begin_to_end_every_frequency_steps(long step, bool update)
    {
        var schedule = new PolynomialDecay(0, 0.8, beginStep: 100, endStep: 1000, frequency: 100);
        Assert.Equal(update, schedule.At(step).UpdateMask);
    }

    [Fact]
    public void ConstantSparsity_without_end_updates_forever_at_its_target()
    {
        var schedule = new ConstantSparsity(0.6, beginStep: 10, frequency: 5);
        Assert.False(schedule.At(5).UpdateMask);
        Assert.Equal(new ScheduleDecision(true, 0.6), schedule.At(10));
        Assert.False(schedule.At(12).UpdateMask);
        Assert.True(schedule.At(1_000_010).UpdateMask);
    }

    [Fact]
    public void Bad_schedules_are_refused_with_the_offending_value()
    {
        Assert.Contains("[0, 1)", Assert.Throws<InvalidSpecException>(() => new ConstantSparsity(1.0)).Message);
        Assert.Throws<InvalidSpecException>(() => new ConstantSparsity(-0.1));
        Assert.Throws<InvalidSpecException>(() => new PolynomialDecay(0, 1.2, 0, 100));
        var before = Assert.Throws<InvalidSpecException>(() => new PolynomialDecay(0, 0.5, beginStep: 200, endStep: 100));
        Assert.Contains("comes before the begin step 200", before.Message);
        Assert.Throws<InvalidSpecException>(() => new PolynomialDecay(0, 0.5, beginStep: 0, endStep: -1));
        Assert.Throws<InvalidSpecException>(() => new ConstantSparsity(0.5, frequency: 0));
    }

    [Fact]
    public void A_decay_that_begins_and_ends_at_one_step_jumps_to_its_final_sparsity_there()
    {
        var schedule = new PolynomialDecay(0.1, 0.6, beginStep: 10, endStep: 10);
        Assert.Equal(0.1, schedule.SparsityAt(9), 12);
        Assert.Equal(0.6, schedule.SparsityAt(10), 12);
        Assert.Equal(0.6, schedule.SparsityAt(11), 12);
    }
}
