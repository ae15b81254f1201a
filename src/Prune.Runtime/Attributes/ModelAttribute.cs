namespace Prune;

/// <summary>
/// Declares a model: a partial class whose fields of type <see cref="Layer"/>, each carrying one layer
/// attribute, run in declaration order. Prune's source generator turns the class into a TorchSharp module
/// and checks its shapes at compile time.
/// </summary>
/// <example>
/// <code>
/// [Model(1, 28, 28)]
/// public partial class Digits
/// {
///     [Conv2D(32, 3, activation: Activation.Relu), Prune(0.5)] Layer conv1;
///     [Flatten] Layer flatten;
///     [Dense(10, activation: Activation.Softmax)] Layer output;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelAttribute : Attribute
{
    /// <summary>Declares a model taking inputs of the given shape, without the batch dimension.</summary>
    /// <param name="inputShape">Channels, height and width for images (e.g. 1, 28, 28); the feature count for tabular data (e.g. 30).</param>
    public ModelAttribute(params int[] inputShape) => InputShape = inputShape;

    /// <summary>The input shape without the batch dimension.</summary>
    public int[] InputShape { get; }
}
