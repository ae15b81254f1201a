using System.Globalization;
using System.Text;

namespace Prune.Export;

/// <summary>Describes a <see cref="TfLiteModelInfo"/> as text: operators, tensors with sizes and sparsity, signatures, metadata.</summary>
internal static class TfLiteInspector
{
    /// <summary>A human-readable report of <paramref name="model"/>.</summary>
    public static string Describe(TfLiteModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(c, $"TFLite schema v{model.SchemaVersion}, {model.FileSize:N0} bytes: {model.Description}");
        s.AppendLine(c, $"Operators ({model.Operators.Count}):");
        for (var i = 0; i < model.Operators.Count; i++)
        {
            var op = model.Operators[i];
            s.AppendLine(c, $"  {i,3}  {op.Name,-18} v{op.Version,-2} in [{string.Join(", ", op.Inputs)}] out [{string.Join(", ", op.Outputs)}]");
        }
        s.AppendLine(c, $"Tensors ({model.Tensors.Count}):");
        s.AppendLine(c, $"  {"#",3}  {"name",-28} {"type",-8} {"shape",-18} {"bytes",10} {"zeros",7}  storage");
        foreach (var t in model.Tensors)
        {
            var zeros = t.ZeroFraction is { } z ? z.ToString("P1", c) : "";
            var storage = t.Buffer == 0 ? "activation" : t.IsSparse ? t.BlockWidth > 1 ? $"sparse, {t.Layout}" : "sparse" : "dense";
            var quant = t.Quantization is { } q
                ? q.Scale.Count == 1 ? $", scale {q.Scale[0].ToString("G4", c)} zp {q.ZeroPoint[0]}" : $", {q.Scale.Count} scales on axis {q.Dimension}"
                : "";
            s.AppendLine(c, $"  {t.Index,3}  {t.Name,-28} {t.Type,-8} {"[" + string.Join(", ", t.Shape) + "]",-18} {t.ByteSize,10:N0} {zeros,7}  {storage}{quant}");
        }
        foreach (var sig in model.Signatures)
        {
            s.AppendLine(c, $"Signature '{sig.Key}': inputs {string.Join(", ", sig.Inputs.Select(p => $"{p.Key} -> {p.Value}"))}; outputs {string.Join(", ", sig.Outputs.Select(p => $"{p.Key} -> {p.Value}"))}");
        }
        foreach (var (name, value) in model.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            s.AppendLine(c, $"Metadata {name}: {value}");
        return s.ToString();
    }
}
