using Prune.Tests.Shared;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Shapes;

/// <summary>
/// TorchSharp's layers produce the output shapes of the shared window table, which the generator's tests check its
/// compile-time inference against: so what the generator infers is what TorchSharp computes.
/// </summary>
public class WindowShapeTests
{
    [Fact]
    public void Windowed_layers_produce_the_output_shapes_of_the_shared_table()
    {
        var wrong = new List<string>();
        foreach (var row in WindowShape.All)
        {
            var input = TestModels.Input(row.Channels, row.Height, row.Width);
            var padding = Enum.Parse<Padding>(row.Padding);
            var layer = row.Layer switch
            {
                "Conv2D" => input.Conv("layer", WindowShape.Filters, row.Window, row.Stride, padding),
                "DepthwiseConv2D" => input.Depthwise("layer", WindowShape.DepthMultiplier, row.Window, row.Stride, padding),
                "MaxPool2D" => input.MaxPool("layer", row.Window, row.Stride, padding),
                "AveragePool2D" => input.AvgPool("layer", row.Window, row.Stride, padding),
                _ => throw new InvalidOperationException(row.Layer),
            };
            // The layer alone: a model may not end in an image (PRUNE030), and the layer's own output is what is compared.
            using var module = Layer.Create(layer.Spec("Windowed").Layers[0]);
            using var x = randn(2, row.Channels, row.Height, row.Width);
            using var y = module.call(x);
            long[] expected = [2, .. row.Output.Select(d => (long)d)];
            if (!y.shape.SequenceEqual(expected)) wrong.Add($"{row}: TorchSharp gives [{string.Join(", ", y.shape)}], the table [{string.Join(", ", expected)}]");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
