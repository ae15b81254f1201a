using System.Globalization;

namespace Prune.Training;

/// <summary>
/// Shows training progress: on a terminal, one line redrawn in place (at most a few times a second); when output
/// is redirected, a plain line every <c>interval</c> and at the end of each epoch, so logs stay readable.
/// </summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private readonly TextWriter _writer;
    private readonly bool _redraw;
    private readonly TimeSpan _interval;
    private TimeSpan? _lastWrite;
    private int _lastEpoch;
    private int _lastLength;

    /// <summary>Writes to the console; redraws in place unless output is redirected.</summary>
    public ConsoleProgress(TimeSpan? interval = null) : this(Console.Out, !Console.IsOutputRedirected, interval) { }

    /// <summary>Writes to <paramref name="writer"/>; <paramref name="redraw"/> chooses the in-place line.</summary>
    public ConsoleProgress(TextWriter writer, bool redraw, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _redraw = redraw;
        _interval = interval ?? (redraw ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(10));
    }

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var epochDone = value.Step == value.Steps || (value.Epoch != _lastEpoch && _lastEpoch != 0);
        // A new fit restarts its clock: then the previous write time is in the future.
        var due = _lastWrite is not { } last || value.Elapsed < last || value.Elapsed - last >= _interval;
        if (!due && !epochDone) return;
        _lastWrite = value.Elapsed;
        _lastEpoch = value.Epoch;
        var line = Format(value);
        if (_redraw)
        {
            _writer.Write("\r" + line.PadRight(_lastLength));
            _lastLength = line.Length;
            if (value.Step == value.Steps) _writer.WriteLine();
        }
        else
        {
            _writer.WriteLine(line);
        }
        _writer.Flush();
    }

    /// <summary>The progress as one line: epoch, step, loss, accuracy, sparsity, elapsed and remaining time.</summary>
    public static string Format(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sparsity = value.Sparsity is { } s ? string.Create(CultureInfo.InvariantCulture, $"  sparsity {s:P1}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {value.Epoch}/{value.Epochs}  step {value.Step}/{value.Steps}  loss {value.Loss:F4}  acc {value.Accuracy:P2}{sparsity}  {Clock(value.Elapsed)} elapsed, {Clock(value.Remaining)} left");
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
