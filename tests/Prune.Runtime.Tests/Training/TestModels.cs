using Prune.Specs;

namespace Prune.Runtime.Tests.Training;

/// <summary>Small models written as specs, for tests that train.</summary>
internal static class TestModels
{
    /// <summary>Conv2D(8, 3x3, relu) → MaxPool(2) → Flatten → Dense(10) logits, on 28×28 images.</summary>
    public static ModelSpec SmallCnn(PruningSpec? pruning = null) => Model("SmallCnn", new(1, 28, 28),
        new Conv2DSpec
        {
            Name = "conv",
            InputShape = new(1, 28, 28),
            OutputShape = new(8, 26, 26),
            ParameterCount = 80,
            Pruning = pruning,
            Filters = 8,
            Kernel = new(3, 3),
            Stride = new(1, 1),
            Padding = Padding.Valid,
            Activation = Activation.Relu,
            UseBias = true,
        },
        new MaxPool2DSpec
        {
            Name = "pool",
            InputShape = new(8, 26, 26),
            OutputShape = new(8, 13, 13),
            ParameterCount = 0,
            Pool = new(2, 2),
            Stride = new(2, 2),
            Padding = Padding.Valid,
        },
        new FlattenSpec { Name = "flatten", InputShape = new(8, 13, 13), OutputShape = new(1352), ParameterCount = 0 },
        new DenseSpec
        {
            Name = "logits",
            InputShape = new(1352),
            OutputShape = new(10),
            ParameterCount = 13_530,
            Pruning = pruning,
            Units = 10,
            Activation = Activation.None,
            UseBias = true,
        });

    /// <summary>Dense(16, relu) → Dropout(0.2) (unless <paramref name="dropout"/> is false) → Dense(<paramref name="outputs"/>, <paramref name="last"/>) on <paramref name="features"/> inputs.</summary>
    public static ModelSpec Mlp(int features, int outputs, Activation last, PruningSpec? hidden = null, PruningSpec? output = null,
        bool dropout = true) =>
        Model("Mlp", new(features), [.. Layers(features, outputs, last, hidden, output, dropout)]);

    private static IEnumerable<LayerSpec> Layers(int features, int outputs, Activation last, PruningSpec? hidden, PruningSpec? output, bool dropout)
    {
        yield return new DenseSpec
        {
            Name = "hidden",
            InputShape = new(features),
            OutputShape = new(16),
            ParameterCount = (features * 16) + 16,
            Pruning = hidden,
            Units = 16,
            Activation = Activation.Relu,
            UseBias = true,
        };
        if (dropout) yield return new DropoutSpec { Name = "dropout", InputShape = new(16), OutputShape = new(16), ParameterCount = 0, Rate = 0.2 };
        yield return new DenseSpec
        {
            Name = "output",
            InputShape = new(16),
            OutputShape = new(outputs),
            ParameterCount = (16 * outputs) + outputs,
            Pruning = output,
            Units = outputs,
            Activation = last,
            UseBias = true,
        };
    }

    private static ModelSpec Model(string name, TensorShape input, params LayerSpec[] layers) => new()
    {
        Name = name,
        TypeName = $"Tests.{name}",
        InputShape = input,
        Training = new TrainingSpec(),
        Layers = layers,
    };
}
