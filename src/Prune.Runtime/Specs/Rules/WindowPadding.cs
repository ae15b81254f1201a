namespace Prune.Specs.Rules;

/// <summary>
/// How a convolution or pooling window treats the border, as the shape rules see it: the runtime's <c>Padding</c>
/// and the generator's attribute argument (a member name) both map to it by name (<see cref="WindowPaddings.Named"/>).
/// </summary>
internal enum WindowPadding
{
    /// <summary>No padding.</summary>
    Valid,
    /// <summary>TensorFlow's SAME: output ceil(in / stride), the odd pixel of padding after.</summary>
    Same,
    /// <summary>PyTorch's and Caffe's: (window − 1) / 2 on every side, output floor((in + 2p − window) / stride) + 1.</summary>
    Symmetric,
}

internal static class WindowPaddings
{
    /// <summary>The padding whose name is <paramref name="member"/> (a <c>Prune.Padding</c> member's name).</summary>
    public static WindowPadding Named(string member) => member switch
    {
        "Valid" => WindowPadding.Valid,
        "Same" => WindowPadding.Same,
        "Symmetric" => WindowPadding.Symmetric,
        _ => throw new ArgumentOutOfRangeException(nameof(member), member, "not a padding"),
    };

    /// <summary>What symmetric padding adds on each side of an axis for a window of <paramref name="window"/>: (window − 1) / 2, rounded down.</summary>
    public static int SymmetricAmount(int window) => (window - 1) / 2;
}
