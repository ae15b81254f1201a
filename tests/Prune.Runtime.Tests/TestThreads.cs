using System.Runtime.CompilerServices;
using Prune.Training;

namespace Prune.Runtime.Tests;

/// <summary>
/// The tests train with one libtorch thread (unless PRUNE_TORCH_THREADS says otherwise). libtorch 2.10's CPU convolution
/// computes its input gradient nondeterministically with two threads for some shapes, now and then reading memory it
/// never wrote: measured here, a 1→8 3x3 convolution on 28x28 inputs (batch 32) gave NaN gradients in 37 of 300
/// identical backward passes and four different values in the rest, and 12→12 on 13x13 differed in 174 of 300; with
/// one thread, none. A model whose second convolution hits such a shape then diverges at random (LastLayerTests'
/// Conv2D cases did, once in four runs). docs/reliability.md tells users the same workaround.
/// </summary>
internal static class TestThreads
{
    [ModuleInitializer]
    internal static void OneThreadUnlessTold()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Trainer.ThreadsVariable)))
            Environment.SetEnvironmentVariable(Trainer.ThreadsVariable, "1");
    }
}
