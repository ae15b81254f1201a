namespace Prune.Generators.Specs;

/// <summary>Training settings; <c>FineTuneLearningRate</c> is already resolved from NaN to a tenth of the rate.</summary>
internal sealed record TrainingSpec(
    string Optimizer, double LearningRate, double FineTuneLearningRate, double Momentum, int BatchSize, int Epochs,
    int FineTuneEpochs, int Seed);
