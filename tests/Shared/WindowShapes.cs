namespace Prune.Tests.Shared;

/// <summary>
/// One layer with a sliding window over an input of <see cref="Channels"/> × <see cref="Height"/> × <see cref="Width"/>,
/// and the output shape the padding rules give it (VALID: floor((in − window) / stride) + 1; SAME: ceil(in / stride);
/// symmetric: floor((in + 2·((window − 1) / 2) − window) / stride) + 1).
/// </summary>
internal sealed record WindowShape(string Layer, int Channels, int Height, int Width, int Window, int Stride, string Padding, int[] Output)
{
    /// <summary>The filters of every Conv2D case, and the depth multiplier of every DepthwiseConv2D case.</summary>
    public const int Filters = 4;
    public const int DepthMultiplier = 2;

    /// <summary>
    /// Convolutions and pools, SAME and VALID, strides 1, 2 and 3, on sizes the stride does not divide. The expected
    /// shapes are written out by hand: the generator's tests check that it infers them at compile time, the runtime's
    /// tests that TorchSharp's layers produce them, so the two agree through this one table.
    /// </summary>
    public static readonly WindowShape[] All =
    [
        new("Conv2D", 2, 7, 9, Window: 3, Stride: 2, "Same", [Filters, 4, 5]),
        new("Conv2D", 2, 7, 9, Window: 3, Stride: 2, "Valid", [Filters, 3, 4]),
        new("Conv2D", 2, 11, 8, Window: 3, Stride: 3, "Same", [Filters, 4, 3]),
        new("Conv2D", 2, 11, 8, Window: 4, Stride: 3, "Valid", [Filters, 3, 2]),
        new("Conv2D", 2, 7, 6, Window: 4, Stride: 1, "Same", [Filters, 7, 6]),   // even window: TensorFlow pads 1 before, 2 after
        new("Conv2D", 2, 5, 5, Window: 5, Stride: 1, "Valid", [Filters, 1, 1]),
        new("Conv2D", 1, 9, 13, Window: 2, Stride: 2, "Same", [Filters, 5, 7]),
        new("DepthwiseConv2D", 2, 9, 7, Window: 3, Stride: 2, "Same", [2 * DepthMultiplier, 5, 4]),
        new("DepthwiseConv2D", 2, 9, 7, Window: 3, Stride: 3, "Valid", [2 * DepthMultiplier, 3, 2]),
        new("DepthwiseConv2D", 2, 9, 7, Window: 3, Stride: 3, "Same", [2 * DepthMultiplier, 3, 3]),
        new("DepthwiseConv2D", 3, 10, 5, Window: 2, Stride: 1, "Same", [3 * DepthMultiplier, 10, 5]),
        new("MaxPool2D", 3, 7, 9, Window: 2, Stride: 2, "Valid", [3, 3, 4]),
        new("MaxPool2D", 3, 7, 9, Window: 2, Stride: 2, "Same", [3, 4, 5]),
        new("MaxPool2D", 3, 7, 9, Window: 3, Stride: 2, "Same", [3, 4, 5]),
        new("MaxPool2D", 3, 11, 8, Window: 3, Stride: 3, "Valid", [3, 3, 2]),
        new("AveragePool2D", 3, 7, 9, Window: 3, Stride: 2, "Valid", [3, 3, 4]),
        new("AveragePool2D", 3, 11, 8, Window: 3, Stride: 3, "Same", [3, 4, 3]),
        new("AveragePool2D", 3, 5, 5, Window: 2, Stride: 1, "Same", [3, 5, 5]),
        new("AveragePool2D", 3, 7, 13, Window: 2, Stride: 3, "Same", [3, 3, 5]),
        // Symmetric: (window − 1) / 2 on every side, floor((in + 2p − window) / stride) + 1.
        new("Conv2D", 2, 7, 9, Window: 3, Stride: 2, "Symmetric", [Filters, 4, 5]),
        new("Conv2D", 3, 15, 16, Window: 7, Stride: 2, "Symmetric", [Filters, 8, 8]),     // ResNet's stem: pad 3
        new("Conv2D", 2, 7, 6, Window: 4, Stride: 1, "Symmetric", [Filters, 6, 5]),       // even window: pad 1, the output shrinks by 1
        new("Conv2D", 2, 8, 8, Window: 1, Stride: 2, "Symmetric", [Filters, 4, 4]),       // ResNet's projection shortcut: no padding
        new("DepthwiseConv2D", 2, 9, 7, Window: 3, Stride: 2, "Symmetric", [2 * DepthMultiplier, 5, 4]),
        new("MaxPool2D", 3, 7, 9, Window: 3, Stride: 2, "Symmetric", [3, 4, 5]),
        new("MaxPool2D", 3, 7, 9, Window: 2, Stride: 2, "Symmetric", [3, 3, 4]),         // SAME would give [3, 4, 5]
        new("AveragePool2D", 3, 11, 8, Window: 3, Stride: 3, "Symmetric", [3, 4, 3]),
        new("AveragePool2D", 3, 5, 5, Window: 5, Stride: 1, "Symmetric", [3, 5, 5]),
    ];

    /// <summary>The layer's attribute as a user writes it.</summary>
    public string Attribute => Layer switch
    {
        "Conv2D" => $"[Conv2D({Filters}, {Window}, stride: {Stride}, padding: Padding.{Padding})]",
        "DepthwiseConv2D" => $"[DepthwiseConv2D({Window}, depthMultiplier: {DepthMultiplier}, stride: {Stride}, padding: Padding.{Padding})]",
        _ => $"[{Layer}({Window}, stride: {Stride}, padding: Padding.{Padding})]",
    };

    public override string ToString() => $"{Attribute} on [{Channels}, {Height}, {Width}]";
}
