using Prune.Pretrained;
using Prune.Onnx;
using Prune.Specs;
using Prune.Training;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Pretrained;

/// <summary>
/// Loading an ONNX file's weights by the structure of its graph: the pretrained ResNet-18 of the ML.NET package (CNTK's
/// export, opaque tensor names) into a ResNet-18 declared layer by layer, and the errors for a declaration it does not fit.
/// </summary>
public class OnnxWeightsTests
{
    private static readonly Lazy<OnnxFile> s_file = new(() => OnnxFile.Read(ResNet18File.Onnx));

    private static PretrainedWeightsException MapFails(ModelSpec spec, bool includeTop = false) =>
        Assert.Throws<PretrainedWeightsException>(() => OnnxWeightMap.Map(s_file.Value, spec, includeTop));

    [Fact]
    public void A_model_padded_as_TensorFlow_pads_is_refused_at_its_first_strided_layer_naming_both_paddings()
    {
        var spec = TestModels.ResNet18Backbone(224, Padding.Same).Dense("fc", 10).Spec("ResNet18");
        var e = MapFails(spec);
        Assert.Equal(PretrainedProblem.DoesNotFit, e.Problem);
        Assert.Contains("layer conv1 (Conv2D) pads a 224x224 input by 2 top, 3 bottom, 2 left, 3 right with Padding.Same", e.Message);
        Assert.Contains("node Convolution249 pads it by 3 top, 2 bottom, 3 left, 2 right", e.Message);
        Assert.Contains("Padding.Symmetric (PyTorch's) computes what the file's does", e.Message);
        Assert.Contains(ResNet18File.Onnx, e.Message);
    }

    /// <summary>
    /// The must-show: the loaded TorchSharp backbone computes the file's 512 features. ONNX Runtime runs the package's
    /// file itself (its input is fixed at one 3x224x224 image) on 20 images; the same images through the declared
    /// ResNet-18 (the file's [2, 2, 2, 3] blocks, symmetric padding, the head left out) after loading give the same features.
    /// </summary>
    [Fact]
    public void The_loaded_backbone_computes_the_files_512_features_as_ONNX_Runtime_does()
    {
        const int images = 20;
        // No head: the model's output is the global average pool's 512 features, where the file ends too.
        var spec = TestModels.ResNet18Backbone(224, Padding.Symmetric, 2, 2, 2, 3).Spec("ResNet18Backbone");
        using var model = Model.FromSpec(spec);
        var weights = OnnxWeightMap.Map(s_file.Value, spec, includeTop: true);
        weights.CopyInto(model, ResNet18File.Onnx);
        model.eval();
        // Pixel values as ResNetPreprocess.onnx leaves them (0–255 less the mean image), from a seeded generator.
        using var scope = NewDisposeScope();
        var x = rand([images, 3, 224, 224], generator: new Generator(17)).mul(255).sub(115);

        var features = Trainer.Predict(model, x, batchSize: images);
        using var runner = new OnnxRunner(File.ReadAllBytes(ResNet18File.Onnx));
        var samples = x.contiguous().data<float>().ToArray();
        var expected = new float[images * 512];
        for (var i = 0; i < images; i++)
            runner.Run(samples.AsSpan(i * 3 * 224 * 224, 3 * 224 * 224).ToArray(), 1).CopyTo(expected, i * 512);

        var actual = features.contiguous().data<float>().ToArray();
        var difference = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.True(difference <= 1e-4, $"max abs difference {difference:G3} over {images}x512 features (largest feature {expected.Max():G3})");
    }
}
