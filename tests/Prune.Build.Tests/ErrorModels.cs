namespace Prune.Build.Tests;

/// <summary>
/// Models that fail in the pipeline, one per build error, compiled into the error project beside its TinyClassifier.
/// Two the generator accepts; the others it refuses or cannot express (its own diagnostics catch them at compile
/// time), so they are written by hand the way it writes models: a public static ModelSpec and a parameterless
/// constructor, which is all the pipeline's host looks for.
/// </summary>
internal static class ErrorModels
{
    public const string FileName = "ErrorModels.cs";

    public const string Source = """
        using Prune;
        using Prune.Specs;
        using static TorchSharp.torch;

        namespace Throwaway;

        /// <summary>Declares 20 inputs where the CSV has 30 (PRB004).</summary>
        [Model(20)]
        public partial class TooFewInputs
        {
            [Dense(1, activation: Activation.Sigmoid), Prune(0.5)] private readonly Layer output;
        }

        /// <summary>A learning rate no optimizer survives (PRB005).</summary>
        [Model(30)]
        [Training(Optimizer = Optimizer.Sgd, LearningRate = 1e30, Epochs = 2)]
        public partial class Exploding
        {
            [Dense(8, activation: Activation.Relu), Prune(0.5)] private readonly Layer hidden;
            [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
        }

        /// <summary>A learning rate far too high whose loss stays finite (a sigmoid's loss is bounded): it learns nothing (PRB015).</summary>
        [Model(30)]
        [Training(Optimizer = Optimizer.Sgd, LearningRate = 1e6, Epochs = 3, FineTuneEpochs = 1)]
        public partial class LearnsNothing
        {
            [Dense(8, activation: Activation.Relu), Prune(0.5)] private readonly Layer hidden;
            [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
        }

        /// <summary>Starts from the ML.NET package's ResNet-18 (a convolution first: PRB022), or from a file that is not there
        /// or not readable (PRB021), as the host's --pretrained-dir says.</summary>
        [Model(30)]
        [Pretrained("ResNet18.onnx")]
        public partial class Pretrained
        {
            [Dense(8, activation: Activation.Relu)] private readonly Layer hidden;
            [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
        }

        /// <summary>Dense layers on the 30 features, run in order: what the generator would write, by hand.</summary>
        public abstract class HandWritten : Model
        {
            private readonly Model _model;

            protected HandWritten(ModelSpec spec) : base(spec) => register_module("model", _model = FromSpec(spec));

            public override IReadOnlyList<Layer> Layers => _model.Layers;

            public override Tensor forward(Tensor input) => _model.call(input);

            protected static ModelSpec Spec(string name, params LayerSpec[] layers) => new()
            {
                Name = name,
                TypeName = "Throwaway." + name,
                InputShape = new(30),
                Layers = layers,
                Training = new() { Epochs = 2, FineTuneEpochs = 1, BatchSize = 32, LearningRate = 0.005 },
            };

            protected static DenseSpec Dense(string name, int inputs, int units, Activation activation, PruningSpec? pruning = null) => new()
            {
                Name = name, InputShape = new(inputs), OutputShape = new(units), ParameterCount = units * (inputs + 1),
                Units = units, Activation = activation, UseBias = true, Pruning = pruning,
            };
        }

        /// <summary>A BatchNorm after an activated layer has nothing to fold into (PRUNE027 at compile time; PRB006 here).</summary>
        public sealed class NormAfterActivation() : HandWritten(ModelSpec)
        {
            public static ModelSpec ModelSpec { get; } = Spec(nameof(NormAfterActivation),
                Dense("hidden", 30, 8, Activation.Relu),
                new BatchNormSpec { Name = "norm", InputShape = new(8), OutputShape = new(8), ParameterCount = 16, Momentum = 0.99, Epsilon = 1e-3 },
                Dense("output", 8, 1, Activation.Sigmoid));
        }

        /// <summary>17x3 blocks on a 16x30 weight, taller than it (PRUNE021 at compile time; PRB012 when the pruner meets it).</summary>
        public sealed class BlocksThatDoNotFit() : HandWritten(ModelSpec)
        {
            public static ModelSpec ModelSpec { get; } = Spec(nameof(BlocksThatDoNotFit),
                Dense("hidden", 30, 16, Activation.Relu, new PruningSpec(new ConstantSparsity(0.5, frequency: 5)) { Block = new(17, 3) }),
                Dense("output", 16, 1, Activation.Sigmoid));
        }

        /// <summary>Declares 2 outputs for a Dense layer of 1 unit, which the generator never writes (PRB018).</summary>
        public sealed class DeclaresTheWrongOutput() : HandWritten(ModelSpec)
        {
            public static ModelSpec ModelSpec { get; } = Spec(nameof(DeclaresTheWrongOutput),
                new DenseSpec
                {
                    Name = "output", InputShape = new(30), OutputShape = new(2), ParameterCount = 31,
                    Units = 1, Activation = Activation.Sigmoid, UseBias = true,
                });
        }

        /// <summary>Computes something its exported file does not: TorchSharp halves the probability, the .tflite cannot (PRB009).</summary>
        public sealed class HalvesItsOutput() : HandWritten(ModelSpec)
        {
            public static ModelSpec ModelSpec { get; } = Spec(nameof(HalvesItsOutput),
                Dense("hidden", 30, 8, Activation.Relu),
                Dense("output", 8, 1, Activation.Sigmoid));

            public override Tensor forward(Tensor input) => base.forward(input) * 0.5;
        }

        /// <summary>Throws in its constructor: a failure Prune did not foresee (PRB099).</summary>
        public sealed class FailsToConstruct : HandWritten
        {
            public FailsToConstruct() : base(ModelSpec) => throw new InvalidOperationException("the model cannot be built");

            public static ModelSpec ModelSpec { get; } = Spec(nameof(FailsToConstruct), Dense("output", 30, 1, Activation.Sigmoid));
        }

        """;
}
