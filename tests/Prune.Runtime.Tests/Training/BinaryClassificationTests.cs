using Prune.Data;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Training;

public class BinaryClassificationTests
{
    [Fact]
    public void A_sigmoid_unit_learns_the_breast_cancer_table_with_binary_cross_entropy()
    {
        using var table = CsvDataset.Load(RepoFiles.BreastCancerCsv, "benign");
        manual_seed(21);
        using var model = Model.FromSpec(TestModels.Mlp(table.FeatureNames.Count, 1, Activation.Sigmoid));
        var before = Trainer.Evaluate(model, table.Test);

        Trainer.Fit(model, table.Train, new FitOptions { BatchSize = 32, Epochs = 10, LearningRate = 3e-3, Seed = 21 });

        var after = Trainer.Evaluate(model, table.Test);
        Assert.True(after.Loss < before.Loss / 2, $"loss {before.Loss:F3} -> {after.Loss:F3}");
        Assert.True(after.Accuracy > 0.9, $"test accuracy {after.Accuracy:P1}");
    }

    [Fact]
    public void A_one_unit_output_without_sigmoid_is_treated_as_a_logit()
    {
        using var table = CsvDataset.Load(RepoFiles.BreastCancerCsv, "benign");
        manual_seed(22);
        using var model = Model.FromSpec(TestModels.Mlp(table.FeatureNames.Count, 1, Activation.None));
        Trainer.Fit(model, table.Train, new FitOptions { BatchSize = 32, Epochs = 10, LearningRate = 3e-3 });
        Assert.True(Trainer.Evaluate(model, table.Test).Accuracy > 0.9);
    }
}
