using Prune.Data;
using Prune.Pipeline;
using Prune.Specs;
using static TorchSharp.torch;

namespace Prune.Runtime.Tests.Data;

/// <summary>A declared [Normalize]: each pixel p (0–255) of channel c becomes (p − mean[c]) / std[c], and the exported
/// files' preprocessing entry says so.</summary>
public class PixelNormalizationTests
{
    [Fact]
    public void Each_channel_becomes_its_pixel_values_minus_its_mean_over_its_std()
    {
        using var scope = NewDisposeScope();
        var images = rand([4, 3, 5, 5], generator: new Generator(5));    // pixel values / 255, as MNIST arrives
        using var data = new Dataset(images, tensor(new long[] { 0, 1, 2, 3 }));
        var normalization = new NormalizationSpec { Mean = [103.06, 115.9, 123.15], Std = [1, 2, 4] };

        using var normalized = PixelNormalization.Apply(data, normalization);

        double[] mean = [103.06, 115.9, 123.15], std = [1, 2, 4];
        for (var c = 0; c < 3; c++)
        {
            var expected = (images.narrow(1, c, 1) * 255 - mean[c]) / std[c];
            Assert.True((normalized.Features.narrow(1, c, 1) - expected).abs().max().item<float>() < 1e-4f, $"channel {c}");
        }
        Assert.Equal([0L, 1, 2, 3], normalized.Labels.data<long>().ToArray());
    }

    [Fact]
    public void One_value_applies_to_every_channel_and_the_metadata_gives_one_per_channel()
    {
        var normalization = new NormalizationSpec { Mean = [33], Std = [78.5] };

        var preprocessing = InputPreprocessing.Images(1 / 255.0, normalization, channels: 3);

        Assert.Equal([33.0, 33, 33], preprocessing.PixelMean);
        Assert.Equal([78.5, 78.5, 78.5], preprocessing.PixelStd);
        Assert.Null(preprocessing.PixelScale);
        var read = InputPreprocessing.FromJson(preprocessing.ToJson());
        Assert.Equal(preprocessing.PixelMean, read!.PixelMean);
        Assert.Equal(preprocessing.PixelStd, read.PixelStd);
        Assert.Equal(1 / 255.0, InputPreprocessing.Images(1 / 255.0, null, 3).PixelScale);
    }

    [Fact]
    public void A_file_s_grayscale_test_images_are_prepared_as_its_metadata_says()
    {
        float[] scaled = [0f, 0.5f, 1f];

        var normalized = InputPreprocessing.Images(1 / 255.0, new NormalizationSpec { Mean = [33], Std = [2] }, channels: 1).PrepareGrayscale(scaled);

        Assert.Equal([-16.5f, 47.25f, 111f], normalized);
        Assert.Same(scaled, InputPreprocessing.Images(1 / 255.0, null, 1).PrepareGrayscale(scaled));
    }

    [Fact]
    public void The_pipeline_s_data_is_normalized_after_the_sample_limit_and_its_cache_key_changes()
    {
        using var files = new FixtureFiles();
        files.WriteMnist(train: 8, test: 4);
        var plain = TestModels.SmallCnn();
        var normalized = plain with { Normalization = new NormalizationSpec { Mean = [10], Std = [2] } };
        PipelineRequest Request(ModelSpec spec) => new()
        {
            Spec = spec,
            CreateModel = () => Model.FromSpec(spec),
            Data = new DataSource(files.Directory),
            OutputDirectory = files.Directory,
            WorkDirectory = files.Directory,
            TrainLimit = 3,
        };

        using var before = ModelData.Load(Request(plain), new Pipeline.RecordingLog());
        using var after = ModelData.Load(Request(normalized), new Pipeline.RecordingLog());

        Assert.Equal(3, after.Train.Count);
        // Pixel (0, 0) of image i is i: (i − 10) / 2.
        for (var i = 0; i < 3; i++) Assert.Equal((i - 10) / 2f, after.Train.Features[i, 0, 0, 0].item<float>(), 5);
        Assert.Equal(-3.5f, after.Test.Features[3, 0, 0, 0].item<float>(), 5);
        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
        Assert.Equal([10.0], after.Preprocessing.PixelMean);
        Assert.Equal(1 / 255.0, before.Preprocessing.PixelScale);
    }
}
