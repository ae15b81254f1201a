using System.IO.Compression;

namespace Prune.Pipeline;

/// <summary>One row of the report's size table.</summary>
/// <param name="File">Which file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="GzipBytes">Its size gzipped (how tfmot's guides compare pruned models: zeros compress).</param>
internal sealed record FileSize(string File, long Bytes, long GzipBytes)
{
    /// <summary>Measures <paramref name="content"/>: its length, and its length gzipped at the smallest size.</summary>
    public static FileSize Of(string file, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        return new FileSize(file, content.LongLength, compressed.Length);
    }
}

/// <summary>Measures the files a pruned model is compared by.</summary>
internal static class FileSizes
{
    public const string Int8 = "pruned, int8";
    public const string Onnx = "pruned, float, .onnx (dense)";

    public static IReadOnlyList<FileSize> Measure(byte[] baselineFloat, ExportedFiles files)
    {
        var rows = new List<FileSize>
        {
            FileSize.Of("baseline, float", baselineFloat),
            FileSize.Of("pruned, float, stored dense", files.FloatDense),
            FileSize.Of("pruned, float, as written (sparse where smaller)", files.Float),
        };
        if (files.Int8 is { } int8) rows.Add(FileSize.Of(Int8, int8));
        if (files.Onnx is { } onnx) rows.Add(FileSize.Of(Onnx, onnx));
        return rows;
    }
}
