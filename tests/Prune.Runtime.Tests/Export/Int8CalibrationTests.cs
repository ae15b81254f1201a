using Prune.Export;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Export;

/// <summary>
/// The int8 file's activation parameters are the ones docs/tflite.md documents, computed here from calibration
/// ranges measured independently of the exporter: per tensor over [min(min, 0), max(max, 0)], scale = range / 255,
/// zero point round(−128 − min / scale); fixed parameters for softmax, logistic and tanh outputs; pooling keeps its input's.
/// A classifier's scores are measured only within <see cref="ActivationRanges.ScoreReach"/> of each sample's top.
/// </summary>
public class Int8CalibrationTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_activation_tensor_has_the_scale_and_zero_point_the_formula_gives_from_the_calibration_ranges()
    {
        using var model = TestModels.Input(2, 9, 9)
            .Conv("conv", 4, 3, padding: Padding.Same, activation: Activation.Relu)
            .MaxPool("pool", 2)
            .Conv("linear_conv", 6, 3)
            .BatchNorm("bn", Activation.Relu6)
            .GlobalAvgPool("gap")
            .Dense("hidden", 8, Activation.Tanh)
            .Dense("out", 3, Activation.Softmax)
            .Build("Calibrated", seed: 13);
        using var calibration = LiteRtCheck.Inputs(model, 200, seed: 3);
        var info = TfLiteReader.Read(TfLiteExporter.Export(model, new ExportOptions { Int8 = true, RepresentativeInputs = calibration }));

        var outputs = LayerRanges(model, calibration);
        var expected = new Dictionary<string, (double Scale, long ZeroPoint)>
        {
            ["input_int8"] = Formula(Range(calibration)),
            ["conv"] = Formula(outputs["conv"]),
            ["pool"] = Formula(outputs["conv"]),            // pooling keeps its input's parameters
            ["linear_conv"] = Formula(outputs["bn"]),        // the BatchNorm is folded in: the op computes its output
            ["gap"] = Formula(outputs["gap"]),
            ["hidden/linear"] = Formula(PreActivation(model, "hidden", calibration)),
            ["hidden"] = (1.0 / 128, 0),
            ["out/linear"] = Formula(PreActivation(model, "out", calibration)),
            ["out"] = (1.0 / 256, -128),
        };

        var activations = info.Tensors.Where(t => t.Type == TfLiteTensorType.Int8 && !t.Name.Contains("/weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Keys.Order(), activations.Select(t => t.Name).Order());
        foreach (var tensor in activations)
        {
            var (scale, zeroPoint) = expected[tensor.Name];
            Assert.True(Math.Abs(tensor.Quantization!.Scale.Single() - scale) <= 1e-6 * scale,
                $"{tensor.Name}: scale {tensor.Quantization.Scale.Single()}, formula {scale}");
            Assert.True(zeroPoint == tensor.Quantization.ZeroPoint.Single(), $"{tensor.Name}: zero point {tensor.Quantization.ZeroPoint.Single()}, formula {zeroPoint}");
        }
        // The ranges are real: some activations are negative, some not, so the zero points differ.
        Assert.True(expected.Values.Select(v => v.ZeroPoint).Distinct().Count() >= 3);
    }

    [Theory]
    [InlineData(Activation.None)]
    [InlineData(Activation.Softmax)]
    public void A_classifier_s_scores_are_measured_only_within_reach_of_each_sample_s_top(Activation last)
    {
        using var model = WideScores(last);
        using var calibration = LiteRtCheck.Inputs(model, 300, seed: 6);
        using var scope = NewDisposeScope();
        var scores = Scores(model, calibration);

        // Worked out per sample: the lowest score it needs is its lowest, or its top less 10 when that is higher.
        var rows = scores.data<float>().Chunk(10).ToArray();
        var needed = rows.Min(row => Math.Max(row.Min(), row.Max() - 10));
        var chosen = ActivationRanges.Measure(model, calibration).PreActivation[^1];
        Assert.True(scores.min().item<float>() < needed - 5, "some scores lie far below what any sample needs");
        Assert.Equal(needed, chosen.Min, 4);
        Assert.Equal(rows.Max(row => row.Max()), chosen.Max, 4);
    }

    [Fact]
    public void Scores_saturated_at_the_range_s_low_end_leave_every_probability_as_it_was()
    {
        using var model = WideScores(Activation.None);
        using var calibration = LiteRtCheck.Inputs(model, 300, seed: 6);
        using var inputs = LiteRtCheck.Inputs(model, 1000, seed: 7);
        using var scope = NewDisposeScope();
        var low = ActivationRanges.Measure(model, calibration).Output[^1].Min;

        // On samples the calibration did not see, as int8 saturates them: every score below the range's low end raised to it.
        var scores = Scores(model, inputs);
        var saturated = scores.clamp_min(low);
        var difference = (nn.functional.softmax(saturated, 1) - nn.functional.softmax(scores, 1)).abs().max().item<float>();
        var raised = scores.lt(low).sum().item<long>();
        output.WriteLine($"{raised} of {scores.numel()} scores raised to {low}; largest probability change {difference:E2}");
        Assert.True(raised > 500, $"only {raised} scores saturate");   // observed: 670, changing probabilities by 1.2e-5 at most
        // At most 9 classes, each under e^-10 of the top: 4.1e-4.
        Assert.True(difference < 9 * Math.Exp(-10), $"largest probability change {difference}");
    }

    /// <summary>A 10-class classifier whose scores spread over far more than 10 for some samples.</summary>
    private static Model WideScores(Activation last)
    {
        var model = TestModels.Input(12)
            .Dense("hidden", 16, Activation.Relu)
            .Dense("scores", 10, last)
            .Build("Classifier", seed: 9);
        using var _ = no_grad();
        ((WeightLayer)model.Layers[^1]).Weight.mul_(8);
        return model;
    }

    /// <summary>The last layer's values before its activation, one row of 10 per sample.</summary>
    private static Tensor Scores(Model model, Tensor samples)
    {
        using var _ = no_grad();
        var hidden = model.Layers[0].call(samples);
        var scores = (WeightLayer)model.Layers[1];
        return nn.functional.linear(hidden, scores.Weight, scores.Bias);
    }

    /// <summary>docs/tflite.md's activation rule, written out on its own (in double) rather than calling the exporter's.</summary>
    private static (double Scale, long ZeroPoint) Formula((double Min, double Max) range)
    {
        var min = Math.Min(range.Min, 0);
        var max = Math.Max(range.Max, 0);
        var scale = (max - min) / 255;
        return (scale, (long)Math.Round(-128 - (min / scale), MidpointRounding.AwayFromZero));
    }

    private static (double Min, double Max) Range(Tensor t) => (t.min().item<float>(), t.max().item<float>());

    /// <summary>Each layer's output range over all calibration samples, running the model layer by layer in evaluation mode.</summary>
    private static Dictionary<string, (double Min, double Max)> LayerRanges(Model model, Tensor samples)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ranges = new Dictionary<string, (double, double)>();
        var x = samples;
        foreach (var layer in model.Layers)
        {
            x = layer.call(x);
            ranges[layer.Spec.Name] = Range(x);
        }
        return ranges;
    }

    /// <summary>The range of a dense layer's value before its activation (what TFLite quantizes when the activation is an op of its own).</summary>
    private static (double Min, double Max) PreActivation(Model model, string layerName, Tensor samples)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = samples;
        foreach (var layer in model.Layers)
        {
            if (layer.Spec.Name == layerName)
            {
                var dense = (WeightLayer)layer;
                return Range(nn.functional.linear(x, dense.Weight, dense.Bias));
            }
            x = layer.call(x);
        }
        throw new ArgumentException(layerName);
    }
}
