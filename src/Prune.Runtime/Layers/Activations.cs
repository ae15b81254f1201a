using Prune.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Prune.Layers;

/// <summary>The activations a layer applies after it computes (<see cref="LayerSpec.Activation"/>).</summary>
internal static class Activations
{
    /// <summary>Applies <paramref name="activation"/> to <paramref name="x"/>; softmax runs over dimension 1 (the units or channels).</summary>
    public static Tensor Apply(Tensor x, Activation activation) => activation switch
    {
        Activation.None => x,
        Activation.Relu => nn.functional.relu(x),
        Activation.Relu6 => nn.functional.relu6(x),
        Activation.Sigmoid => torch.sigmoid(x),
        Activation.Tanh => torch.tanh(x),
        Activation.Softmax => torch.softmax(x, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
