using Prune.Pretrained;
using Prune.Specs;

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
        Assert.Contains("PyTorch's symmetric padding computes what the file's does", e.Message);
        Assert.Contains(ResNet18File.Onnx, e.Message);
    }
}
