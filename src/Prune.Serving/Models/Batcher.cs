using System.Threading.Channels;

namespace Prune.Serving.Models;

/// <summary>
/// Merges concurrent requests into one ONNX Runtime call, as TensorFlow Serving's batching does (<c>--enable_batching</c>):
/// a batch thread takes the first waiting request, then others until <see cref="Config.BatchingParameters.MaxBatchSize"/>
/// samples or until <see cref="Config.BatchingParameters.BatchTimeout"/> has passed since it took the first (a zero timeout
/// merges what is already waiting), runs them as one batch and hands every request its rows back. A request larger than
/// the maximum runs alone. When the queue holds <c>MaxEnqueuedBatches</c> full batches, a request is refused.
/// </summary>
internal sealed class Batcher
{
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Func<float[], int, float[]> _run;
    private readonly Config.BatchingParameters _parameters;
    private readonly Action<int> _batchRan;
    private readonly int _inputSize;
    private readonly int _outputSize;
    private int _queuedSamples;

    public Batcher(Func<float[], int, float[]> run, int inputSize, int outputSize, Config.BatchingParameters parameters, Action<int> batchRan)
    {
        _run = run;
        _inputSize = inputSize;
        _outputSize = outputSize;
        _parameters = parameters;
        _batchRan = batchRan;
        for (var i = 0; i < parameters.NumBatchThreads; i++) _ = Task.Run(RunBatches);
    }

    private sealed record Work(float[] Input, int Count, TaskCompletionSource<float[]> Done);

    /// <summary>The outputs of <paramref name="count"/> samples, computed in some batch.</summary>
    /// <exception cref="ServingException">The queue is full (503).</exception>
    public Task<float[]> Run(float[] input, int count)
    {
        var limit = (long)_parameters.MaxEnqueuedBatches * _parameters.MaxBatchSize;
        if (Interlocked.Add(ref _queuedSamples, count) > limit && count <= limit)
        {
            Interlocked.Add(ref _queuedSamples, -count);
            throw new ServingException(ServingStatus.Unavailable, $"The batch queue is full ({_parameters.MaxEnqueuedBatches} batches of {_parameters.MaxBatchSize} wait); try again later.");
        }
        var work = new Work(input, count, new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(work);
        return work.Done.Task;
    }

    /// <summary>No more requests: the batch threads finish what is queued and stop.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunBatches()
    {
        var reader = _queue.Reader;
        Work? carried = null;
        while (carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (carried is null && !reader.TryRead(out carried)) continue;
            var batch = new List<Work> { carried };
            var samples = carried.Count;
            carried = null;
            var deadline = DateTime.UtcNow + _parameters.BatchTimeout;
            while (samples < _parameters.MaxBatchSize)
            {
                if (reader.TryRead(out var next))
                {
                    if (samples + next.Count > _parameters.MaxBatchSize)
                    {
                        carried = next;     // starts the next batch
                        break;
                    }
                    batch.Add(next);
                    samples += next.Count;
                    continue;
                }
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero || !await WaitForMore(reader, remaining).ConfigureAwait(false)) break;
            }
            Interlocked.Add(ref _queuedSamples, -samples);
            RunOne(batch, samples);
        }
    }

    private static async Task<bool> WaitForMore(ChannelReader<Work> reader, TimeSpan remaining)
    {
        using var timeout = new CancellationTokenSource(remaining);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void RunOne(List<Work> batch, int samples)
    {
        try
        {
            var input = batch.Count == 1 ? batch[0].Input : new float[samples * _inputSize];
            if (batch.Count > 1)
            {
                var offset = 0;
                foreach (var work in batch)
                {
                    work.Input.CopyTo(input, offset);
                    offset += work.Input.Length;
                }
            }
            var output = _run(input, samples);
            _batchRan(samples);
            var start = 0;
            foreach (var work in batch)
            {
                work.Done.SetResult(batch.Count == 1 ? output : output[start..(start + work.Count * _outputSize)]);
                start += work.Count * _outputSize;
            }
        }
        catch (Exception e)
        {
            foreach (var work in batch) work.Done.TrySetException(e);
        }
    }
}
