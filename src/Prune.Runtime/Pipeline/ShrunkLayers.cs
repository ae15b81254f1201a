using Prune.Specs;

namespace Prune.Pipeline;

/// <summary>One layer before and after filter pruning's strip: its output shape, parameters and multiply-accumulates
/// per sample (<see cref="LayerSpec.MultiplyAccumulates"/>, the count <c>dotnet prune profile</c> reads from a file).</summary>
internal sealed record ShrunkLayer(string Layer, TensorShape OutputBefore, TensorShape OutputAfter, long ParametersBefore, long ParametersAfter,
    long MultiplyAccumulatesBefore, long MultiplyAccumulatesAfter);

/// <summary>What shrinking changed, layer by layer, from the declared spec and the exported one.</summary>
internal static class ShrunkLayers
{
    /// <summary>Every layer of <paramref name="declared"/> beside its counterpart in <paramref name="stripped"/>; none
    /// when the two are the same model (no filter pruning).</summary>
    public static IReadOnlyList<ShrunkLayer> Of(ModelSpec declared, ModelSpec stripped)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(stripped);
        var rows = declared.Layers.Zip(stripped.Layers, (before, after) => new ShrunkLayer(before.Name, before.OutputShape, after.OutputShape,
            before.ParameterCount, after.ParameterCount, before.MultiplyAccumulates, after.MultiplyAccumulates)).ToList();
        return rows.All(r => r.OutputBefore.Equals(r.OutputAfter) && r.ParametersBefore == r.ParametersAfter) ? [] : rows;
    }
}
