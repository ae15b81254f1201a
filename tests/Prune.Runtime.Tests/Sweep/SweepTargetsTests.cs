using Prune.Specs;
using Prune.Runtime.Tests.Pipeline;
using Prune.Sweep;

namespace Prune.Runtime.Tests.Sweep;

public sealed class SweepTargetsTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData(" , ", "empty")]
    [InlineData("0.5,1", "The target must be in [0, 1), but is 1; 1 would remove every weight")]
    [InlineData("-0.1", "The target must be in [0, 1), but is -0.1")]
    [InlineData("0.5,half", "The target 'half' is not a number")]
    [InlineData("0.5,0.50", "The target 0.5 is listed twice")]
    public void A_bad_list_of_targets_is_refused_naming_the_value(string text, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => SweepTargets.Parse(text)).Message);

    [Fact]
    public void Targets_are_read_in_the_invariant_culture_and_sorted() =>
        Assert.Equal([0, 0.5, 0.95], SweepTargets.Parse("0.95, 0, 0.5"));

    [Fact]
    public void A_target_keeps_the_schedule_shape_and_scales_a_polynomial_decay_start_with_its_end()
    {
        var spec = HalfPruned.ModelSpec;
        var retargeted = SweepTargets.At(spec, 0.9);
        var original = (PolynomialDecay)spec.PrunedLayers.Single().Pruning!.Schedule;
        var schedule = Assert.IsType<PolynomialDecay>(retargeted.PrunedLayers.Single().Pruning!.Schedule);
        Assert.Equal(0.9, schedule.FinalSparsity);
        Assert.Equal((original.BeginStep, original.EndStep, original.Power, original.Frequency), (schedule.BeginStep, schedule.EndStep, schedule.Power, schedule.Frequency));
        Assert.Equal(spec.Layers.Count, retargeted.Layers.Count);
    }

    [Fact]
    public void A_model_without_pruned_layers_has_nothing_to_sweep() =>
        Assert.Contains("has no layer marked [Prune]", Assert.Throws<ArgumentException>(() => SweepTargets.At(TwoLogits.ModelSpec, 0.5)).Message);
}
