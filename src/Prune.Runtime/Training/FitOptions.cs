using Prune.Specs;
using Prune.Specs.Rules;
using TorchSharp;

namespace Prune.Training;

/// <summary>How <see cref="Trainer.Fit"/> trains: optimizer, learning rate, batches, epochs and seed.</summary>
public sealed record FitOptions
{
    /// <summary>Adam (PyTorch's default betas and epsilon) or SGD with <see cref="Momentum"/>.</summary>
    public Optimizer Optimizer { get; init; } = Enum.Parse<Optimizer>(TrainingRules.Optimizer);

    /// <summary>Step size.</summary>
    public double LearningRate { get; init; } = TrainingRules.LearningRate;

    /// <summary>SGD momentum (ignored by Adam).</summary>
    public double Momentum { get; init; } = TrainingRules.Momentum;

    /// <summary>Samples per step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = TrainingRules.BatchSize;

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Seeds TorchSharp (initialization, dropout) and the shuffling of samples.</summary>
    public int Seed { get; init; } = TrainingRules.Seed;

    /// <summary>Stops after this many steps, even within an epoch; null for no limit.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Where the steps run: <see cref="DeviceType.CPU"/> (the default) or <see cref="DeviceType.CUDA"/>, which
    /// needs TorchSharp's CUDA natives in place of the CPU ones and an NVIDIA GPU. The model is back on the CPU when the fit ends.</summary>
    public DeviceType Device { get; init; } = DeviceType.CPU;

    /// <summary>The layers that do not train during the first <see cref="FreezeEpochs"/> epochs (pretrained ones, while a fresh
    /// head learns): their parameters get no gradient and their BatchNorm statistics stay as loaded.</summary>
    internal IReadOnlyCollection<string> FrozenLayers { get; init; } = [];

    /// <summary>Epochs, from the first, during which <see cref="FrozenLayers"/> are frozen.</summary>
    internal int FreezeEpochs { get; init; }

    /// <summary>The baseline-training options a model declares.</summary>
    public static FitOptions Baseline(TrainingSpec training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return new FitOptions
        {
            Optimizer = training.Optimizer,
            LearningRate = training.LearningRate,
            Momentum = training.Momentum,
            BatchSize = training.BatchSize,
            Epochs = training.Epochs,
            Seed = training.Seed,
        };
    }

    /// <summary>The fine-tuning (pruning) options a model declares: its fine-tuning learning rate and epochs.</summary>
    public static FitOptions FineTune(TrainingSpec training) =>
        Baseline(training) with { LearningRate = training.FineTuneLearningRate, Epochs = training.FineTuneEpochs };

    /// <summary>The training rules a spec is checked with, and what only one fit needs: an epoch at least, a positive step limit.</summary>
    internal void Validate()
    {
        InvalidSpecException.ThrowIfAny(TrainingRules.Check(LearningRate, null, Momentum, BatchSize, Epochs, fineTuneEpochs: 1));
        if (MaxSteps is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MaxSteps must be 1 or more, or null.");
        TrainingDevice.ThrowIfUnavailable(Device);
    }
}
