using Prune.Export;

namespace Prune.Tool.Files;

/// <summary>A <c>.tflite</c> file read and checked, as <c>inspect</c> and <c>profile</c> take it.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Contents">What it holds (<see cref="TfLiteReader"/>, the reader the build's reports use).</param>
internal sealed record TfLiteFile(string Path, TfLiteModelInfo Contents)
{
    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="ToolException">The file is missing, is not a .tflite file, or is truncated or malformed: one line says why.</exception>
    public static TfLiteFile Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ToolException($"{full} is a folder: give a .tflite file.");
        if (!File.Exists(full)) throw new ToolException($"No file at {full}.");
        TfLiteModelInfo contents;
        try
        {
            contents = TfLiteReader.Read(File.ReadAllBytes(full));
        }
        catch (InvalidDataException e)
        {
            throw new ToolException($"{full}: {e.Message}");
        }
        var problems = TfLiteChecks.Problems(contents);
        if (problems.Count > 0)
        {
            var more = problems.Count > 1 ? $" (and {problems.Count - 1} more problems)" : "";
            throw new ToolException($"{full} is malformed: {problems[0]}{more}");
        }
        return new TfLiteFile(full, contents);
    }

    /// <summary>The subgraph's input tensor.</summary>
    public TfLiteTensorInfo Input => Contents.Tensors[Contents.Inputs[0]];

    /// <summary>The subgraph's output tensor.</summary>
    public TfLiteTensorInfo Output => Contents.Tensors[Contents.Outputs[0]];

    /// <summary>Elements of one sample's input (the input's shape without its batch dimension).</summary>
    public int SampleSize => (int)Input.Shape.Skip(1).Aggregate(1L, (p, d) => p * d);
}
