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
        Request((Specs.ModelSpec)typeof(TModel).GetProperty("ModelSpec")!.GetValue(null)!, () => new TModel());

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
        // Each weight's layout in each file, read back from the files: two layers in two files.
        var storage = report.RootElement.GetProperty("weightStorage").EnumerateArray().ToList();
        Assert.Equal(["HalfPruned.int8.tflite", "HalfPruned.int8.tflite", "HalfPruned.tflite", "HalfPruned.tflite"],
            storage.Select(r => r.GetProperty("file").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains("## Weight storage", File.ReadAllText(Path.Combine(Output, "HalfPruned.report.md")));
        // One sparsity entry, the exporter's, beside the pipeline's model name.
        var metadata = global::Prune.Export.TfLiteReader.Read(File.ReadAllBytes(Path.Combine(Output, "HalfPruned.tflite"))).Metadata;
        Assert.Equal("Prune.Runtime.Tests.Pipeline.HalfPruned", metadata["prune_model"]);
        Assert.Contains("\"hidden\":{\"zeros\":", metadata[global::Prune.Export.TfLiteExporter.SparsityMetadata]);
    }

    [Fact]
    public void Filter_pruning_exports_the_smaller_model_checked_in_LiteRT_and_reports_each_layer_before_and_after()
    {
        var written = PrunePipeline.Run(Request<FilterPrunedTabular>() with { Onnx = true }, new RecordingLog());

        Assert.Equal(5, written.Count);
        var contents = global::Prune.Export.TfLiteReader.Read(File.ReadAllBytes(Path.Combine(Output, "FilterPrunedTabular.tflite")));
        Assert.Contains(contents.Tensors, t => t.Name == "hidden1/weight" && t.Shape.SequenceEqual([8, 30]));
        Assert.Contains(contents.Tensors, t => t.Name == "hidden2/weight" && t.Shape.SequenceEqual([4, 8]));
        Assert.Contains(contents.Tensors, t => t.Name == "output/weight" && t.Shape.SequenceEqual([1, 4]));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "FilterPrunedTabular.report.json")));
        Assert.True(report.RootElement.GetProperty("liteRt").GetProperty("ran").GetBoolean());
        var hidden2 = report.RootElement.GetProperty("shrunk")[1];
        Assert.Equal("hidden2", hidden2.GetProperty("layer").GetString());
        Assert.Equal(8 * 16 + 8, hidden2.GetProperty("parametersBefore").GetInt64());
        Assert.Equal(4 * 8 + 4, hidden2.GetProperty("parametersAfter").GetInt64());
        Assert.Equal(8 * 16, hidden2.GetProperty("multiplyAccumulatesBefore").GetInt64());
        Assert.Equal(4 * 8, hidden2.GetProperty("multiplyAccumulatesAfter").GetInt64());
        var markdown = File.ReadAllText(Path.Combine(Output, "FilterPrunedTabular.report.md"));
        Assert.Contains("## Channels removed", markdown, StringComparison.Ordinal);
        Assert.Contains("| hidden2 | [8] | [4] | 136 | 36 | 128 | 32 |", markdown, StringComparison.Ordinal);
        // Per layer, what was removed, not a weight sparsity: hidden2 lost half its units and half its inputs (hidden1's).
        Assert.Contains("| 50.0 %: keep 4 of 8 units | 75.00 % of weights removed: 4 of 8 units, 8 of 16 inputs kept | 96 | 128 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| output | not pruned | – | 50.00 % of weights removed: 4 of 8 inputs kept | 4 | 8 |", markdown, StringComparison.Ordinal);
        var removed = report.RootElement.GetProperty("layers")[1].GetProperty("removed");
        Assert.Equal(4, removed.GetProperty("outputsKept").GetInt64());
        Assert.Equal(8, removed.GetProperty("inputsKept").GetInt64());
        Assert.Equal(32, removed.GetProperty("weightsKept").GetInt64());
        Assert.Equal(0.75, removed.GetProperty("fraction").GetDouble());
    }

    [Fact]
    public void With_ONNX_on_a_run_also_writes_the_onnx_file_checked_in_ONNX_Runtime_and_the_report_says_so()
    {
        var written = PrunePipeline.Run(Request<HalfPruned>() with { Onnx = true, Int8 = false, VerifyWithLiteRt = false }, new RecordingLog());

        Assert.Contains(Path.Combine(Output, "HalfPruned.onnx"), written);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "HalfPruned.report.json")));
        var check = report.RootElement.GetProperty("onnxRuntime");
        Assert.Equal(114, check.GetProperty("samples").GetInt32());     // the table's whole test split (20% of 569 rows)
        Assert.InRange(check.GetProperty("maxAbsDifference").GetDouble(), 0, 1e-5);
        Assert.Equal(1.0, check.GetProperty("top1Agreement").GetDouble());
        Assert.Contains("## Checked in ONNX Runtime", File.ReadAllText(Path.Combine(Output, "HalfPruned.report.md")));
        var file = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Output, "HalfPruned.onnx")));
        Assert.Equal("Prune.Runtime.Tests.Pipeline.HalfPruned", file.MetadataProps.Single(p => p.Key == "prune_model").Value);
    }

    [Fact]
    public void An_onnx_file_that_ONNX_Runtime_refuses_or_that_computes_something_else_fails_the_run_as_an_ONNX_mismatch()
    {
        var request = Request<HalfPruned>();
        using var data = ModelData.Load(request, new RecordingLog());
        using var model = request.CreateModel();
        var reference = ReferenceOutputs.Compute(model, data, OnnxVerification.Samples);
        var good = global::Prune.Export.Onnx.OnnxExporter.Export(model);
        Assert.Equal(1.0, OnnxVerification.Run(request.Spec, reference, good, new RecordingLog()).Top1Agreement);

        var corrupt = good[..(good.Length / 2)];
        var refused = Assert.Throws<PipelineException>(() => OnnxVerification.Run(request.Spec, reference, corrupt, new RecordingLog()));
        Assert.Equal(PipelineFailure.OnnxMismatch, refused.Failure);
        Assert.Contains("ONNX Runtime refuses HalfPruned.onnx", refused.Message);

        using var other = request.CreateModel();     // same architecture, other initial weights
        var differs = Assert.Throws<PipelineException>(() => OnnxVerification.Run(request.Spec, reference, global::Prune.Export.Onnx.OnnxExporter.Export(other), new RecordingLog()));
        Assert.Equal(PipelineFailure.OnnxMismatch, differs.Failure);
        Assert.Contains("largest probability difference", differs.Message);
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

        var failure = Assert.IsType<PipelineException>(error);
        Assert.Equal(PipelineFailure.OutputNotWritable, failure.Failure);
        Assert.True(failure.InnerException is UnauthorizedAccessException or IOException, $"expected a file-system error, got {failure.InnerException}");

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
            return File.ReadAllBytes(Directory.GetFiles(Path.Combine(request.WorkDirectory, "baselines"), "*.weights").Single());
        }

        var first = Baseline(Request<HalfPruned>() with { WorkDirectory = Path.Combine(_root, "first") });
        // Something else draws from libtorch's generator in between, as other models of the same build would.
        using (TorchSharp.torch.rand(1000)) { }
        var second = Baseline(Request<HalfPruned>() with { WorkDirectory = Path.Combine(_root, "second") });

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_cached_baseline_is_reused_only_at_the_thread_count_it_was_trained_with()
    {
        // Results depend on libtorch's thread count: a build with another count trains its own baseline.
        var request = Request<HalfPruned>() with { Int8 = false, VerifyWithLiteRt = false };
        bool TrainsAt(int threads)
        {
            TorchSharp.torch.set_num_threads(threads);
            var log = new RecordingLog();
            PrunePipeline.Run(request, log);
            return log.Lines.Any(l => l.StartsWith($"HalfPruned: training the baseline (3 epochs on 455 samples, {threads} threads)", StringComparison.Ordinal));
        }

        var configured = Prune.Training.Trainer.Threads;
        try
        {
            Assert.True(TrainsAt(1));
            Assert.True(TrainsAt(2), "a 2-thread build reused the 1-thread baseline");
            Assert.False(TrainsAt(1), "the 1-thread baseline was not reused");
        }
        finally
        {
            TorchSharp.torch.set_num_threads(configured);
        }
        Assert.Equal(2, Directory.GetFiles(Path.Combine(request.WorkDirectory, "baselines"), "*.weights").Length);
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

    [Theory]
    [InlineData(typeof(TwoLogits), "but TwoLogits has 2 outputs, which take labels 0 to 1 only. For classes 0 to 2, give its last layer 3 outputs.")]
    [InlineData(typeof(HalfPruned), "but HalfPruned has one output, and a model with one (sigmoid) output takes labels 0 and 1 only.")]
    public void A_label_found_only_in_the_test_split_counts_and_fails_before_training_naming_the_labels(Type modelType, string expected)
    {
        // The breast-cancer table with one test row relabelled 2: the training split holds only 0 and 1.
        var data = WithLabel(2, row: TestRows(seed: 42)[0]);
        var spec = (Specs.ModelSpec)modelType.GetProperty("ModelSpec")!.GetValue(null)!;
        var log = new RecordingLog();

        var error = Assert.Throws<PipelineException>(() =>
            PrunePipeline.Run(Request(spec, () => (Model)Activator.CreateInstance(modelType)!) with { Data = new DataSource(data, "benign") }, log));

        Assert.Equal(PipelineFailure.DataDoesNotFitModel, error.Failure);
        Assert.Contains("has labels 0, 1, 2, " + expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, l => l.Contains("training", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void The_data_format_follows_the_content_not_the_extension()
    {
        var text = Path.Combine(_root, "breast_cancer.txt");
        File.Copy(RepoFiles.BreastCancerCsv, text);
        using (var data = ModelData.Load(Request<HalfPruned>() with { Data = new DataSource(text, "benign") }, new RecordingLog()))
            Assert.Equal((455L, 114L), (data.Train.Count, data.Test.Count));

        var missing = Path.Combine(_root, "no-such-data");
        var error = Assert.Throws<PipelineException>(() => ModelData.Load(Request<HalfPruned>() with { Data = new DataSource(missing, "benign") }, new RecordingLog()));
        Assert.Equal(PipelineFailure.DataNotFound, error.Failure);
        Assert.Contains($"{missing} is neither a file nor a folder. The data is 'mnist', a CSV file, or a folder holding MNIST's four IDX files.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_written_fails_before_training_naming_it()
    {
        // A file where a parent folder should be: the folder cannot be created, even by root (tests may run as root).
        var blocker = Path.Combine(_root, "a-file");
        File.WriteAllText(blocker, "");
        var folder = Path.Combine(blocker, "pruned");
        var log = new RecordingLog();

        var error = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request<HalfPruned>() with { OutputDirectory = folder }, log));

        Assert.Equal(PipelineFailure.OutputNotWritable, error.Failure);
        Assert.StartsWith($"HalfPruned's files cannot be written to the folder {folder}: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(log.Lines);
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
    public void A_loss_that_explodes_while_staying_finite_is_divergence_and_writes_nothing()
    {
        var error = Assert.Throws<PipelineException>(() => PrunePipeline.Run(Request<OvershootingLogit>(), new RecordingLog()));

        Assert.Equal(PipelineFailure.TrainingDiverged, error.Failure);
        Assert.Contains("OvershootingLogit diverged during baseline training", error.Message);
        Assert.Contains("the loss grew from", error.Message);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void A_baseline_no_better_than_the_most_common_class_is_a_warning_with_the_numbers()
    {
        var log = new RecordingLog();
        PrunePipeline.Run(Request<Overshooting>() with { Int8 = false, VerifyWithLiteRt = false }, log);

        Assert.Contains(PipelineWarning.BaselineLearnedNothing, log.Warnings);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "Overshooting.report.json")));
        var accuracy = report.RootElement.GetProperty("accuracy").GetProperty("baseline").GetDouble();
        var warning = Assert.Single(log.Lines, l => l.StartsWith("Overshooting's baseline reaches", StringComparison.Ordinal));
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"reaches {accuracy:P1} accuracy, no better than always answering the most common class ("), warning);
        Assert.Matches(@"\(\d+\.\d % of 114 test samples\), with a test loss of [\d.]+: it learned nothing", warning);
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

    /// <summary>The rows (0-based, after the header) the CSV reader puts in the test split for <paramref name="seed"/>.</summary>
    private static long[] TestRows(int seed)
    {
        var rows = File.ReadLines(RepoFiles.BreastCancerCsv).Count() - 1;
        return global::Prune.Data.Shuffle.Permutation(rows, new Random(seed))[..(int)Math.Round(rows * 0.2, MidpointRounding.AwayFromZero)];
    }

    /// <summary>A copy of the breast-cancer table whose label in <paramref name="row"/> is <paramref name="label"/>.</summary>
    private string WithLabel(int label, long row)
    {
        var lines = File.ReadAllLines(RepoFiles.BreastCancerCsv);
        var column = Array.IndexOf(lines[0].Split(','), "benign");
        var cells = lines[row + 1].Split(',');
        cells[column] = label.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lines[row + 1] = string.Join(',', cells);
        var path = Path.Combine(_root, "relabelled.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
