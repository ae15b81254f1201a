using Prune.Data;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Data;

public class ImageResizeTests
{
    [Fact]
    public void Grayscale_images_become_the_declared_channels_and_size_each_channel_the_bilinear_resize()
    {
        using var scope = NewDisposeScope();
        var images = rand([4, 1, 28, 28], generator: new Generator(5));
        using var data = new Dataset(images, tensor(new long[] { 0, 1, 2, 3 }));

        Assert.True(ImageResize.Applies(data.SampleShape, new TensorShape(3, 32, 32)));
        Assert.False(ImageResize.Applies(data.SampleShape, new TensorShape(1, 28, 28)));
        Assert.False(ImageResize.Applies(data.SampleShape, new TensorShape(2, 32, 32)));
        using var resized = ImageResize.To(data, new TensorShape(3, 32, 32));

        Assert.Equal([4L, 3, 32, 32], resized.Features.shape);
        var expected = nn.functional.interpolate(images, [32, 32], mode: InterpolationMode.Bilinear, align_corners: false);
        for (var c = 0; c < 3; c++) Assert.Equal(0f, (resized.Features.narrow(1, c, 1) - expected).abs().max().item<float>());
        // A corner pixel of the 32x32 image is the 28x28 image's corner: half-pixel centres, not a stretch from the corners' edges.
        Assert.Equal(images[0, 0, 0, 0].item<float>(), resized.Features[0, 2, 0, 0].item<float>(), 6);
        Assert.Equal([0L, 1, 2, 3], resized.Labels.data<long>().ToArray());
    }
}
