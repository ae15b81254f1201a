using Prune.Data;
using Prune.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void Loss_goes_down_on_a_small_real_MNIST_subset()
    {
        using var data = MnistSubset.Train(1000);
        manual_seed(3);
        using var model = Model.FromSpec(TestModels.SmallCnn());
        var before = Trainer.Evaluate(model, data);

        var fit = Trainer.Fit(model, data, new FitOptions { BatchSize = 50, Epochs = 3, LearningRate = 2e-3, Seed = 3 });

        var after = Trainer.Evaluate(model, data);
        Assert.Equal(60, fit.Steps);
        Assert.True(after.Loss < before.Loss / 3, $"loss {before.Loss:F3} -> {after.Loss:F3}");
        Assert.True(after.Accuracy > 0.8, $"accuracy {after.Accuracy:P1}");
        Assert.True(fit.Epochs[^1].Loss < fit.Epochs[0].Loss);
    }

    [Fact]
    public void Two_fits_with_the_same_seed_give_identical_weights_and_another_seed_does_not()
    {
        // No dropout and copied initial weights: the global torch generator is shared with tests running in
        // parallel, so this test depends only on what Fit seeds itself (the shuffling).
        using var data = RandomClasses(200, 8, 3, seed: 1);
        manual_seed(100);
        using var initial = Model.FromSpec(TestModels.Mlp(8, 3, Activation.None, dropout: false));
        var options = new FitOptions { BatchSize = 16, Epochs = 2, Seed = 11 };

        var first = TrainedWeights(initial, data, options);
        var second = TrainedWeights(initial, data, options);
        var other = TrainedWeights(initial, data, options with { Seed = 12 });

        Assert.Equal(first.Length, second.Length);
        for (var i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_loss_that_grows_a_thousandfold_is_divergence_even_while_it_stays_finite()
    {
        // Adam at 1e6 on MNIST: the loss stays finite (around 1e12 and beyond) while the model learns nothing.
        using var data = MnistSubset.Train(1000);
        manual_seed(3);
        using var model = Model.FromSpec(TestModels.SmallCnn());
        var progress = new LastLoss();

        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Fit(model, data, new FitOptions { BatchSize = 50, Epochs = 3, LearningRate = 1e6, Seed = 3 }, progress: progress));

        Assert.Matches(@"the loss grew from 2\.\d+ to [\d.]+E\+\d+, more than 1,000 times what it started at", error.Message);
        Assert.True(double.IsFinite(progress.Loss), "the loss was still finite when divergence was called");
        Assert.True(error.Step < 20, $"called only at step {error.Step}");
    }

    [Fact]
    public void Sgd_with_momentum_trains_too()
    {
        using var data = RandomClasses(300, 6, 2, seed: 4);
        manual_seed(4);
        using var model = Model.FromSpec(TestModels.Mlp(6, 2, Activation.None));
        var before = Trainer.Evaluate(model, data);
        Trainer.Fit(model, data, new FitOptions { Optimizer = Optimizer.Sgd, LearningRate = 0.05, Momentum = 0.9, BatchSize = 32, Epochs = 5 });
        Assert.True(Trainer.Evaluate(model, data).Loss < before.Loss / 2);
    }

    [Fact]
    public void A_softmax_output_trains_with_the_log_of_its_probabilities()
    {
        using var data = RandomClasses(300, 6, 3, seed: 5);
        manual_seed(5);
        using var model = Model.FromSpec(TestModels.Mlp(6, 3, Activation.Softmax));
        var before = Trainer.Evaluate(model, data);
        Trainer.Fit(model, data, new FitOptions { BatchSize = 32, Epochs = 8, LearningRate = 1e-2 });
        var after = Trainer.Evaluate(model, data);
        Assert.True(double.IsFinite(after.Loss));
        Assert.True(after.Loss < before.Loss / 2, $"loss {before.Loss:F3} -> {after.Loss:F3}");
        Assert.True(after.Accuracy > 0.9);
    }

    [Fact]
    public void Memory_stays_flat_one_dispose_scope_per_batch()
    {
        using var data = RandomClasses(256, 8, 3, seed: 2);
        manual_seed(2);
        using var model = Model.FromSpec(TestModels.Mlp(8, 3, Activation.None));
        var options = new FitOptions { BatchSize = 16, Epochs = 1 };
        Trainer.Fit(model, data, options); // warm-up: optimizer state and gradients exist from here on

        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (zeros(3)) Assert.Equal(live + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // the counter does count
        Trainer.Fit(model, data, options with { Epochs = 3 });
        Trainer.Evaluate(model, data);
        using (var predictions = Trainer.Predict(model, data.Features)) Assert.Equal(data.Count, predictions.shape[0]);

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var data = RandomClasses(128, 4, 2, seed: 6);
        manual_seed(6);
        using var model = Model.FromSpec(TestModels.Mlp(4, 2, Activation.None));
        using var cancellation = new CancellationTokenSource();
        var hooks = new CancelAfter(3, cancellation);

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Fit(model, data, new FitOptions { BatchSize = 8, Epochs = 5 }, hooks, cancellationToken: cancellation.Token));
        Assert.Equal(3, hooks.Steps);
    }

    [Fact]
    public void MaxSteps_stops_within_an_epoch_and_hooks_see_every_step_in_order()
    {
        using var data = RandomClasses(100, 4, 2, seed: 7);
        manual_seed(7);
        using var model = Model.FromSpec(TestModels.Mlp(4, 2, Activation.None));
        var hooks = new CancelAfter(int.MaxValue, null);
        var fit = Trainer.Fit(model, data, new FitOptions { BatchSize = 10, Epochs = 3, MaxSteps = 25 }, hooks);
        Assert.Equal(25, fit.Steps);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), hooks.Seen);
        Assert.Equal(3, fit.Epochs.Count);
    }

    [Fact]
    public void Labels_that_do_not_suit_the_output_are_rejected()
    {
        using var data = RandomClasses(20, 4, 2, seed: 8);
        using var model = Model.FromSpec(TestModels.Mlp(4, 1, Activation.Sigmoid));
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, data, new FitOptions()));
        Assert.Contains("float32 [N, 1]", error.Message);
    }

    [Fact]
    public void Predict_computes_in_evaluation_mode_in_batches_and_gives_the_model_its_mode_back()
    {
        using var data = RandomClasses(70, 5, 3, seed: 9);
        manual_seed(9);
        using var model = Model.FromSpec(TestModels.Mlp(5, 3, Activation.None)); // with dropout: training mode would change outputs
        model.train();
        using var predicted = Trainer.Predict(model, data.Features, batchSize: 32); // three batches: 32, 32, 6
        Assert.True(model.training, "Predict left the model in evaluation mode");

        model.eval();
        using var direct = model.call(data.Features);
        Assert.Equal(direct.shape, predicted.shape);
        Assert.True(predicted.allclose(direct, rtol: 1e-5, atol: 1e-6));
    }

    private static float[] TrainedWeights(Model initial, Dataset data, FitOptions options)
    {
        using var model = Model.FromSpec(initial.Spec);
        using (no_grad())
        {
            foreach (var (target, source) in model.parameters().Zip(initial.parameters())) target.copy_(source);
        }
        Trainer.Fit(model, data, options);
        return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    /// <summary>Features from a seeded normal distribution; the class is the argmax of the first <paramref name="classes"/> features, so it can be learned.</summary>
    internal static Dataset RandomClasses(int count, int features, int classes, int seed)
    {
        var generator = new Generator((ulong)seed);
        var x = randn([count, features], generator: generator);
        var y = x.narrow(1, 0, classes).argmax(1);
        return new Dataset(x, y);
    }

    private sealed class LastLoss : IProgress<TrainingProgress>
    {
        public double Loss { get; private set; } = double.NaN;

        public void Report(TrainingProgress value) => Loss = value.Loss;
    }

    private sealed class CancelAfter(int steps, CancellationTokenSource? cancellation) : ITrainingHooks
    {
        public List<long> Seen { get; } = [];

        public int Steps => Seen.Count;

        public void BeforeStep(long step) => Seen.Add(step);

        public void AfterOptimizerStep(long step)
        {
            if (Seen.Count == steps) cancellation?.Cancel();
        }
    }
}
