using Prune.Training;

namespace Prune.Runtime.Tests.Training;

public class ConsoleProgressTests
{
    private static TrainingProgress At(int epoch, long step, double seconds, double? sparsity = null) =>
        new(epoch, 2, step, 100, 0.25, 0.9, sparsity, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(100 - seconds));

    [Fact]
    public void Without_a_terminal_it_writes_plain_lines_at_intervals_and_at_the_end()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, redraw: false, TimeSpan.FromSeconds(10));
        progress.Report(At(1, 1, 0.1));
        progress.Report(At(1, 2, 5));
        progress.Report(At(1, 30, 11));
        progress.Report(At(2, 100, 12, sparsity: 0.5));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain('\r', output.ToString());
        Assert.StartsWith("epoch 2/2  step 100/100  loss 0.2500  acc 90.00 %  sparsity 50.0 %", lines[^1]);
    }

    [Fact]
    public void On_a_terminal_it_redraws_one_line()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, redraw: true, TimeSpan.Zero);
        progress.Report(At(1, 1, 1));
        progress.Report(At(1, 2, 2));
        Assert.Equal(2, output.ToString().Count(c => c == '\r'));
        Assert.DoesNotContain('\n', output.ToString());
    }
}
