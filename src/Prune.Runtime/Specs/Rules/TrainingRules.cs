using static System.FormattableString;

namespace Prune.Specs.Rules;

/// <summary>Training's defaults (what a model without <c>[Training]</c> gets) and the ranges of its settings.</summary>
internal static class TrainingRules
{
    public const string Optimizer = "Adam";
    public const double LearningRate = 1e-3;
    public const double Momentum = 0.9;
    public const int BatchSize = 64;
    public const int Epochs = 2;
    public const int FineTuneEpochs = 2;
    public const int Seed = 42;

    /// <summary>Fine-tuning's learning rate when none is given: a tenth of the baseline's.</summary>
    public static double FineTuneLearningRate(double learningRate) => learningRate / 10;

    /// <summary>Every setting out of its range, in declaration order; a null <paramref name="fineTuneLearningRate"/> is not given (a tenth of the rate).</summary>
    public static IReadOnlyList<Problem> Check(double learningRate, double? fineTuneLearningRate, double momentum, int batchSize, int epochs, int fineTuneEpochs)
    {
        var problems = new List<Problem>();
        void Check(bool valid, string name, string rule, string value)
        {
            if (!valid) problems.Add(new Problem(Rule.InvalidTrainingSetting, Invariant($"Training {name} must be {rule}, but is {value}")));
        }
        Check(Positive(learningRate), "LearningRate", "greater than 0", Formats.Number(learningRate));
        if (fineTuneLearningRate is { } fineTune) Check(Positive(fineTune), "FineTuneLearningRate", "greater than 0", Formats.Number(fineTune));
        Check(momentum >= 0 && momentum < 1, "Momentum", "in [0, 1)", Formats.Number(momentum));
        Check(batchSize >= 1, "BatchSize", "1 or more", Formats.Number(batchSize));
        Check(epochs >= 1, "Epochs", "1 or more", Formats.Number(epochs));
        Check(fineTuneEpochs >= 1, "FineTuneEpochs", "1 or more", Formats.Number(fineTuneEpochs));
        return problems;
    }

    private static bool Positive(double value) => value > 0 && !double.IsInfinity(value);
}
