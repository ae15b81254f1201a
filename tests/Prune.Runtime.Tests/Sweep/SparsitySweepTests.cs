using System.Text.Json;
using Prune.Pipeline;
using Prune.Runtime.Tests.Pipeline;
using Prune.Runtime.Tests.Training;
using Prune.Specs;
using Prune.Sweep;

namespace Prune.Runtime.Tests.Sweep;

/// <summary>The sweep in process, on small models and the real breast-cancer table: seconds per point.</summary>
public sealed class SparsitySweepTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("prune-sweep-").FullName;

    private string Output => Path.Combine(_root, "sweep");

    private PipelineRequest Request<TModel>() where TModel : Model, new() => new()
    {
        Spec = (ModelSpec)typeof(TModel).GetProperty("ModelSpec")!.GetValue(null)!,
        CreateModel = () => new TModel(),
        Data = new DataSource(RepoFiles.BreastCancerCsv, "benign"),
        OutputDirectory = Output,
        WorkDirectory = Path.Combine(_root, "obj"),
        Int8 = false,
    };

    [Fact]
    public void One_baseline_is_pruned_to_every_target_each_point_measured_on_every_test_sample_and_the_table_written()
    {
        var log = new SweepLog();
        var summary = SparsitySweep.Run(Request<HalfPruned>(), [0.75, 0.25], log);

        Assert.Equal([0.25, 0.75], summary.Points.Select(p => p.Target));
        Assert.Single(log.Lines, l => l.Contains("one baseline for all 2 targets, trained now", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.Contains("training the baseline", StringComparison.Ordinal));
        foreach (var point in summary.Points)
        {
            Assert.True(point.Succeeded, point.Failure);
            Assert.Equal(point.Target, point.Sparsity!.Value, 2);        // the model's PolynomialDecay, aimed at each target
            Assert.Equal(point.TorchSharpAccuracy!.Value, point.LiteRtAccuracy!.Value, 2);
            Assert.NotNull(point.FloatLatency);
            Assert.True(File.Exists(Path.Combine(Output, point.Files[0])));
        }
        Assert.True(summary.Points[1].NonzeroMultiplyAccumulates < summary.Points[0].NonzeroMultiplyAccumulates);
        Assert.Equal(2, log.Finished.Count);

        var md = File.ReadAllText(Path.Combine(Output, SweepReport.Markdown));
        Assert.Contains("| 25 % | 25.", md);
        Assert.Contains("| 75 % | 75.", md);
        Assert.Contains("Accuracies on all 114 test samples", md);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(Output, SweepReport.Csv)).Length);
        var json = JsonSerializer.Deserialize<SweepSummary>(File.ReadAllText(Path.Combine(Output, SweepReport.Json)), SweepReport.JsonOptions)!;
        Assert.Equal(summary.Points[1].TorchSharpAccuracy, json.Points[1].TorchSharpAccuracy);

        // A second sweep of the same model reuses the baseline.
        var again = new SweepLog();
        Assert.True(SparsitySweep.Run(Request<HalfPruned>(), [0.5], again).BaselineFromCache);
        Assert.Single(again.Lines, l => l.Contains("loaded from the cache", StringComparison.Ordinal));
    }

    [Fact]
    public void A_point_that_diverges_is_recorded_as_failed_and_the_sweep_goes_on()
    {
        var summary = SparsitySweep.Run(Request<DivergesWhenFineTuned>(), [0.3, 0.6], new SweepLog());

        Assert.Equal(2, summary.Points.Count);
        Assert.All(summary.Points, p => Assert.Contains("diverged", p.Failure, StringComparison.OrdinalIgnoreCase));
        var md = File.ReadAllText(Path.Combine(Output, SweepReport.Markdown));
        Assert.Equal(2, md.Split("**failed**").Length - 1);
        Assert.All(File.ReadAllLines(Path.Combine(Output, SweepReport.Csv)).Skip(1), line => Assert.Contains(",false,", line));
    }

    [Fact]
    public void Stopping_keeps_the_points_finished_and_says_it_stopped()
    {
        using var stop = new CancellationTokenSource();
        var log = new SweepLog { OnFinished = stop.Cancel };
        var summary = SparsitySweep.Run(Request<HalfPruned>(), [0.25, 0.5, 0.75], log, stop.Token);

        Assert.True(summary.Stopped);
        Assert.Single(summary.Points);
        var json = JsonSerializer.Deserialize<SweepSummary>(File.ReadAllText(Path.Combine(Output, SweepReport.Json)), SweepReport.JsonOptions)!;
        Assert.True(json.Stopped);
        Assert.Equal(0.25, json.Points.Single().Target);
        Assert.Contains("**Stopped** (Ctrl+C) after 1 of 3 targets", File.ReadAllText(Path.Combine(Output, SweepReport.Markdown)));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class SweepLog : ISweepLog
    {
        public List<string> Lines { get; } = [];

        public List<SweepPoint> Finished { get; } = [];

        public Action? OnFinished { get; init; }

        public void Progress(string message) => Lines.Add(message);

        public void Info(string message) => Lines.Add(message);

        public void Warning(PipelineWarning warning, string message, SourceLocation? source = null) => Lines.Add(message);

        public void Status(SweepStatus status)
        {
        }

        void ISweepLog.Finished(SweepPoint point)
        {
            Finished.Add(point);
            OnFinished?.Invoke();
        }
    }
}
