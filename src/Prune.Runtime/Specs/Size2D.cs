namespace Prune.Specs;

/// <summary>A height and a width: kernel sizes, strides, pool sizes, sparsity blocks.</summary>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public readonly record struct Size2D(int Height, int Width)
{
    /// <summary>As written in reports: <c>3x3</c>.</summary>
    public override string ToString() => $"{Height}x{Width}";
}
