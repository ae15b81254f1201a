using Prune.Pruning;
using Prune.Runtime.Tests.Training;
using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pruning;

public class PrunerTests
{
    private static long Zeros(Tensor t)
    {
        using var isZero = t.eq(0);
        using var count = isZero.sum();
        return count.item<long>();
    }

    [Fact]
    public void Masks_survive_optimizer_steps_pruned_weights_stay_exactly_zero()
    {
        using var data = TrainerTests.RandomClasses(160, 8, 3, seed: 1);
        var spec = new PruningSpec(new ConstantSparsity(0.5, beginStep: 0, frequency: 1000));
        manual_seed(1);
        using var model = Model.FromSpec(TestModels.Mlp(8, 3, Activation.None, hidden: spec, output: spec));
        var pruner = new Pruner(model);

        Trainer.Fit(model, data, new FitOptions { BatchSize = 16, Epochs = 3, LearningRate = 1e-2 }, pruner);

        foreach (var layer in pruner.Layers)
        {
            var mask = layer.WeightMask!;
            Assert.Equal(layer.Weight.numel() / 2, Zeros(mask));
            using var prunedValues = layer.Weight.detach().masked_select(mask.eq(0));
            Assert.All(prunedValues.data<float>().ToArray(), v => Assert.Equal(0f, v));
            using var keptValues = layer.Weight.detach().masked_select(mask.eq(1));
            Assert.DoesNotContain(0f, keptValues.data<float>().ToArray());
        }
        Assert.Equal(0.5, pruner.CurrentSparsity, 6);
        Assert.Equal(0, pruner.LastUpdateStep);
    }

    [Fact]
    public void PolynomialDecay_raises_sparsity_on_its_update_steps_to_the_final_target()
    {
        using var data = TrainerTests.RandomClasses(160, 8, 3, seed: 2);
        var spec = new PruningSpec(new PolynomialDecay(0, 0.75, beginStep: 0, endStep: 20, frequency: 5));
        manual_seed(2);
        using var model = Model.FromSpec(TestModels.Mlp(8, 3, Activation.None, hidden: spec));
        var pruner = new Pruner(model);
        var sparsities = new List<double>();
        var hooks = new Recording(pruner, sparsities);

        Trainer.Fit(model, data, new FitOptions { BatchSize = 8, Epochs = 2 }, hooks);

        // Updates at 0, 5, 10, 15, 20 ask for 0, 0.4336, 0.6563, 0.7383, 0.75 of the 128 hidden weights; kept counts
        // round(72.5) = 72 and round(33.5) = 34 round half to even, as TensorFlow does.
        Assert.Equal([0.0, 56 / 128.0, 84 / 128.0, 94 / 128.0, 96 / 128.0], sparsities.Distinct());
        Assert.Equal(20, pruner.LastUpdateStep);
        Assert.Equal(96, Zeros(model.Layers.OfType<WeightLayer>().First().Weight));
    }

    [Fact]
    public void Strip_bakes_the_masks_removes_all_pruning_state_and_keeps_outputs_identical()
    {
        using var data = TrainerTests.RandomClasses(64, 8, 3, seed: 3);
        var spec = new PruningSpec(new ConstantSparsity(0.6, frequency: 1));
        manual_seed(3);
        using var model = Model.FromSpec(TestModels.Mlp(8, 3, Activation.None, hidden: spec, output: spec));
        var pruner = new Pruner(model);
        Trainer.Fit(model, data, new FitOptions { BatchSize = 16, Epochs = 1 }, pruner);
        Assert.Equal(2, model.state_dict().Keys.Count(k => k.EndsWith(".weight_mask", StringComparison.Ordinal)));
        using var before = Trainer.Predict(model, data.Features);
        var zerosBefore = SparsityReport.Of(model).Select(r => r.Zeros).ToArray();

        Strip.Apply(model);

        Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("mask", StringComparison.Ordinal));
        Assert.Empty(model.buffers());
        Assert.All(model.Layers.OfType<WeightLayer>(), l => Assert.Null(l.WeightMask));
        Assert.Equal(["hidden.weight", "hidden.bias", "output.weight", "output.bias"], model.state_dict().Keys);
        using var after = Trainer.Predict(model, data.Features);
        Assert.True(before.equal(after).all().item<bool>());
        Assert.Equal(zerosBefore, SparsityReport.Of(model).Select(r => r.Zeros));
        var stale = Assert.Throws<InvalidOperationException>(() => pruner.AfterOptimizerStep(0));
        Assert.Contains("was stripped", stale.Message);
    }

    [Fact]
    public void The_report_lists_every_weight_layer_with_its_target()
    {
        var spec = new PruningSpec(new ConstantSparsity(0.5)) { MByN = new MByN(1, 4) };
        manual_seed(4);
        using var model = Model.FromSpec(TestModels.Mlp(8, 2, Activation.None, hidden: spec));
        var pruner = new Pruner(model);
        pruner.BeforeStep(0);

        var report = SparsityReport.Of(model);

        Assert.Equal(2, report.Count);
        Assert.Equal(new LayerSparsity("hidden", 0.75, 0.75, 96, 128), report[0]);
        Assert.Null(report[1].Target);
        Assert.Equal(32, report[1].Parameters);
        Assert.Contains("| hidden | 75.0 % | 75.00 % | 96 | 128 |", SparsityReport.ToMarkdown(report));
    }

    [Fact]
    public void A_block_larger_than_a_layer_is_refused_before_a_model_is_built()
    {
        var spec = new PruningSpec(new ConstantSparsity(0.5)) { Block = new Size2D(17, 1) };
        var error = Assert.Throws<InvalidSpecException>(() => Model.FromSpec(TestModels.Mlp(8, 2, Activation.None, hidden: spec)));
        Assert.Equal(("hidden", "PRUNE021"), (error.LayerName, error.Code));
        Assert.StartsWith("Layer 'hidden': block 17x1 is larger than its weight matrix [16, 8]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pruned_CNN_on_real_MNIST_keeps_learning_at_high_sparsity()
    {
        using var data = MnistSubset.Train(1000);
        var spec = new PruningSpec(new PolynomialDecay(0, 0.8, beginStep: 0, endStep: 30, frequency: 10));
        manual_seed(5);
        using var model = Model.FromSpec(TestModels.SmallCnn(spec));
        var pruner = new Pruner(model);
        Trainer.Fit(model, data, new FitOptions { BatchSize = 50, Epochs = 3, LearningRate = 2e-3 }, pruner);
        Strip.Apply(model);
        var report = SparsityReport.Of(model);
        Assert.All(report, r => Assert.Equal(r.Parameters - MaskCalculator.KeptCount(r.Parameters, 0.8), r.Zeros));
        Assert.All(report, r => Assert.InRange(r.Achieved, 0.79, 0.81));
        Assert.True(Trainer.Evaluate(model, data).Accuracy > 0.75);
    }

    private sealed class Recording(Pruner pruner, List<double> sparsities) : ITrainingHooks
    {
        public void BeforeStep(long step)
        {
            pruner.BeforeStep(step);
            sparsities.Add(pruner.CurrentSparsity);
        }

        public void AfterOptimizerStep(long step) => pruner.AfterOptimizerStep(step);
    }
}
