using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Training;

/// <summary>
/// The devices Prune trains on: the CPU, or an NVIDIA GPU through CUDA when the project references TorchSharp's CUDA
/// natives instead of the CPU ones (README, "Training on a GPU"). Everything but the training steps (pruning masks
/// between steps aside) runs on the CPU: evaluation, stripping, export.
/// </summary>
internal static class TrainingDevice
{
    /// <summary>Reads a <c>PruneDevice</c> value: <c>cpu</c> or <c>cuda</c>, in any case; null for anything else.</summary>
    public static DeviceType? Parse(string text) => text.ToLowerInvariant() switch
    {
        "cpu" => DeviceType.CPU,
        "cuda" => DeviceType.CUDA,
        _ => null,
    };

    /// <summary>Why <paramref name="device"/> cannot train here, or null when it can.</summary>
    public static string? Unavailable(DeviceType device) => device switch
    {
        DeviceType.CPU => null,
        DeviceType.CUDA when cuda.is_available() => null,
        DeviceType.CUDA => "CUDA was asked for (PruneDevice=cuda), but TorchSharp finds no CUDA device: the project references "
            + "TorchSharp's CPU natives, or this machine has no NVIDIA GPU and driver. Reference the CUDA natives instead of the "
            + "CPU ones (README, \"Training on a GPU\") on a machine with an NVIDIA GPU, or set PruneDevice=cpu.",
        _ => $"Prune trains on the CPU or on CUDA, not on {device}.",
    };

    /// <summary>Throws <see cref="InvalidOperationException"/> with <see cref="Unavailable"/>'s reason.</summary>
    public static void ThrowIfUnavailable(DeviceType device)
    {
        if (Unavailable(device) is { } reason) throw new InvalidOperationException(reason);
    }

    /// <summary>Moves <paramref name="model"/> to <paramref name="device"/> for a fit; disposing moves it back to the CPU.</summary>
    public static IDisposable Train(Model model, DeviceType device)
    {
        if (device == DeviceType.CPU) return NothingToUndo.Instance;
        model.to(device);
        return new BackToCpu(model);
    }

    private sealed class BackToCpu(Model model) : IDisposable
    {
        public void Dispose() => model.to(DeviceType.CPU);
    }

    private sealed class NothingToUndo : IDisposable
    {
        public static readonly NothingToUndo Instance = new();
        public void Dispose() { }
    }
}
