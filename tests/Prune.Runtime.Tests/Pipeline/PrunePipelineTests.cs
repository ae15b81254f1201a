using System.Text.Json;
using Prune.Pipeline;
using Prune.Runtime.Tests.Training;

namespace Prune.Runtime.Tests.Pipeline;

/// <summary>The whole pipeline, in process, on generated models and the real breast-cancer table.</summary>
public sealed class PrunePipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("prune-pipeline-").FullName;

    private string Output => Path.Combine(_root, "out");

    private PipelineRequest Request<TModel>() where TModel : Model, new() =>
        Request((Specs.ModelSpec)typeof(TModel).GetProperty("Definition")!.GetValue(null)!, () => new TModel());

    private PipelineRequest Request(Specs.ModelSpec spec, Func<Model> create) => new()
    {
        Spec = spec,
        CreateModel = create,
        Data = new DataSource(RepoFiles.BreastCancerCsv, "benign"),
        OutputDirectory = Output,
        WorkDirectory = Path.Combine(_root, "obj"),
    };

    [Fact]
    public void A_run_writes_the_float_and_int8_files_and_both_reports_and_nothing_else()
    {
        var log = new RecordingLog();
        var written = PrunePipeline.Run(Request<HalfPruned>(), log);

        Assert.Equal(["HalfPruned.int8.tflite", "HalfPruned.report.json", "HalfPruned.report.md", "HalfPruned.tflite"],
            Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(4, written.Count);
        Assert.False(Directory.Exists(Path.Combine(_root, "obj", "staging", "HalfPruned")), "the staging folder was left behind");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "HalfPruned.report.json")));
        Assert.Equal(0.5, report.RootElement.GetProperty("overallSparsity").GetDouble(), 2);
        Assert.True(report.RootElement.GetProperty("liteRt").GetProperty("ran").GetBoolean());
        Assert.Contains("FULLY_CONNECTED", File.ReadAllText(Path.Combine(Output, "HalfPruned.report.md")));
        // One sparsity entry, the exporter's, beside the pipeline's model name.
        var metadata = global::Prune.Export.TfLiteReader.Read(File.ReadAllBytes(Path.Combine(Output, "HalfPruned.tflite"))).Metadata;
        Assert.Equal("Prune.Runtime.Tests.Pipeline.HalfPruned", metadata["prune_model"]);
        Assert.Contains("\"hidden\":{\"zeros\":", metadata[global::Prune.Export.TfLiteExporter.SparsityMetadata]);
    }

    [Fact]
    public void A_failure_after_staging_leaves_the_previous_build_s_files_whole()
    {
        PrunePipeline.Run(Request<HalfPruned>() with { VerifyWithLiteRt = false }, new RecordingLog());
        var previous = Directory.GetFiles(Output).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllBytes);
        Assert.Equal(4, previous.Count);
        // The next build gets as far as moving its staged files into place, and the last of them cannot be written
        // there (a folder holds its temporary name: as a full disk or a folder turned read-only would fail the copy).
        Directory.CreateDirectory(Path.Combine(Output, "HalfPruned.report.json.tmp"));

        var log = new RecordingLog();
        var error = Record.Exception(() => PrunePipeline.Run(Request<HalfPruned>() with { VerifyWithLiteRt = false, EpochsOverride = 1 }, log));

        Assert.True(error is UnauthorizedAccessException or IOException, $"expected a file-system error, got {error}");

        Assert.Contains(log.Lines, l => l.StartsWith("HalfPruned: exporting", StringComparison.Ordinal)); // it failed after the export
        Assert.Equal(previous.Keys.Order(), Directory.GetFiles(Output).Select(Path.GetFileName).Order());
        Assert.All(previous, file => Assert.Equal(file.Value, File.ReadAllBytes(Path.Combine(Output, file.Key))));
        Assert.False(Directory.Exists(Path.Combine(_root, "obj", "staging", "HalfPruned")), "the staging folder was left behind");
    }

    [Fact]
    public void Models_that_differ_only_in_pruning_share_one_cached_baseline()
    {
        PrunePipeline.Run(Request<HalfPruned>() with { Int8 = false, VerifyWithLiteRt = false }, new RecordingLog());
        var second = new RecordingLog();
        PrunePipeline.Run(Request<ThreeQuartersPruned>() with { Int8 = false, VerifyWithLiteRt = false }, second);

        Assert.Contains(second.Lines, l => l.StartsWith("ThreeQuartersPruned: baseline loaded from cache", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Lines, l => l.Contains("training the baseline", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_runs_train_the_same_baseline_bit_for_bit()
    {
        static byte[] Baseline(PipelineRequest request)
        {
            PrunePipeline.Run(request with { Int8 = false, VerifyWithLiteRt = false }, new RecordingLog());
            return File.ReadAllBytes(Directory.GetFiles(Path.Combine(request.WorkDirectory, "baselines")).Single());
        }

        var first = Baseline(Request<HalfPruned>() with { WorkDirectory = Path.Combine(_root, "first") });
        // Something else draws from libtorch's generator in between, as other models of the same build would.
        using (TorchSharp.torch.rand(1000)) { }
        var second = Baseline(Request<HalfPruned>() with { WorkDirectory = Path.Combine(_root, "second") });

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_schedule_that_outlasts_fine_tuning_is_a_warning_giving_the_sparsity_really_reached()
    {
        // One epoch of 455 rows at batch 32 is 15 steps; the schedule updates every 5 steps until 20, so its last
        // update is at step 10: 0.5 − 0.5·(1 − 10/20)³ = 43.75%.
        var log = new RecordingLog();
        PrunePipeline.Run(Request<HalfPruned>() with { EpochsOverride = 1, Int8 = false, VerifyWithLiteRt = false }, log);

        Assert.Equal([PipelineWarning.ScheduleNotCompleted], log.Warnings);
        Assert.Contains(log.Lines, l => l.Contains("ends at 43.8 % sparsity instead of 50.0 %", StringComparison.Ordinal));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "HalfPruned.report.json")));
        Assert.Equal(0.4375, report.RootElement.GetProperty("overallSparsity").GetDouble(), 4);
    }

    [Fact]
    public void Data_that_does_not_fit_the_declared_input_fails_before_training_at_the_model()
    {
        var log = new RecordingLog();
        var error = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request<TooFewInputs>(), log));

        Assert.Equal(PipelineFailure.DataDoesNotFitModel, error.Failure);
        Assert.Contains("[20]", error.Message);
        Assert.Contains("[30]", error.Message);
        Assert.EndsWith("PipelineModels.cs", error.Source!.FilePath, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Contains("training", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void A_diverging_model_is_reported_as_such_and_writes_nothing()
    {
        var error = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request<Exploding>(), new RecordingLog()));

        Assert.Equal(PipelineFailure.TrainingDiverged, error.Failure);
        Assert.Contains("Exploding diverged during baseline training", error.Message);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void A_layer_that_cannot_be_exported_fails_before_training()
    {
        // The generator rejects this model (PRUNE027); a spec built at run time can still describe it.
        static Model Create() => TestModels.Input(30).Dense("hidden", 8, Activation.Relu).BatchNorm("norm")
            .Dense("output", 1, Activation.Sigmoid).Build("NormAfterActivation");
        using var probe = Create();
        var spec = probe.Spec;
        var log = new RecordingLog();
        var error = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request(spec, Create), log));

        Assert.Equal(PipelineFailure.ExportFailed, error.Failure);
        Assert.Contains("'norm'", error.Message);
        Assert.DoesNotContain(log.Lines, l => l.Contains("training", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Output));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
