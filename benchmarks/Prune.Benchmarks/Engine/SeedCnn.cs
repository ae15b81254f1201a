using Prune.Specs;

namespace Prune.Benchmarks.Engine;

/// <summary>
/// The seed's CNN for MNIST, written by hand as a spec (what the generator will write for the attributed class):
/// Conv2D(32, 3x3, relu), MaxPool(2), Conv2D(64, 3x3, relu), MaxPool(2), Flatten, Dense(128, relu), Dense(10) logits.
/// </summary>
internal static class SeedCnn
{
    /// <summary>The spec; every weight layer is pruned with <paramref name="pruning"/> when it is given.</summary>
    public static ModelSpec Spec(PruningSpec? pruning, TrainingSpec? training = null) => new()
    {
        Name = "SeedCnn",
        TypeName = "Prune.Benchmarks.Engine.SeedCnn",
        InputShape = new(1, 28, 28),
        Training = training ?? new TrainingSpec(),
        Layers =
        [
            new Conv2DSpec
            {
                Name = "conv1", InputShape = new(1, 28, 28), OutputShape = new(32, 26, 26), ParameterCount = 320, Pruning = pruning,
                Filters = 32, Kernel = new(3, 3), Stride = new(1, 1), Padding = Padding.Valid, Activation = Activation.Relu, UseBias = true,
            },
            new MaxPool2DSpec
            {
                Name = "pool1", InputShape = new(32, 26, 26), OutputShape = new(32, 13, 13), ParameterCount = 0,
                Pool = new(2, 2), Stride = new(2, 2), Padding = Padding.Valid,
            },
            new Conv2DSpec
            {
                Name = "conv2", InputShape = new(32, 13, 13), OutputShape = new(64, 11, 11), ParameterCount = 18_496, Pruning = pruning,
                Filters = 64, Kernel = new(3, 3), Stride = new(1, 1), Padding = Padding.Valid, Activation = Activation.Relu, UseBias = true,
            },
            new MaxPool2DSpec
            {
                Name = "pool2", InputShape = new(64, 11, 11), OutputShape = new(64, 5, 5), ParameterCount = 0,
                Pool = new(2, 2), Stride = new(2, 2), Padding = Padding.Valid,
            },
            new FlattenSpec { Name = "flatten", InputShape = new(64, 5, 5), OutputShape = new(1600), ParameterCount = 0 },
            new DenseSpec
            {
                Name = "dense1", InputShape = new(1600), OutputShape = new(128), ParameterCount = 204_928, Pruning = pruning,
                Units = 128, Activation = Activation.Relu, UseBias = true,
            },
            new DenseSpec
            {
                Name = "logits", InputShape = new(128), OutputShape = new(10), ParameterCount = 1_290, Pruning = pruning,
                Units = 10, Activation = Activation.None, UseBias = true,
            },
        ],
    };
}
