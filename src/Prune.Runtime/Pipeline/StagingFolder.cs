namespace Prune.Pipeline;

/// <summary>
/// Collects a model's artifacts under obj/ and moves them into the output folder only once all of them exist, so a
/// failure halfway (or Ctrl+C) never leaves a half-written or mismatched set of files behind.
/// </summary>
internal sealed class StagingFolder : IDisposable
{
    private readonly string _path;
    private readonly string _modelName;
    private readonly List<string> _files = [];

    public StagingFolder(string workDirectory, string modelName)
    {
        _modelName = modelName;
        _path = Path.Combine(workDirectory, "staging", modelName);
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
        Directory.CreateDirectory(_path);
    }

    public void Write(string fileName, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(_path, fileName), content);
        _files.Add(fileName);
    }

    public void Write(string fileName, string content) => Write(fileName, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Moves every staged file into <paramref name="outputDirectory"/> (each move is a rename within one file system where possible).</summary>
    /// <exception cref="PipelineException">The output folder cannot be written (it was checked before training, but may have changed since).</exception>
    public IReadOnlyList<string> MoveTo(string outputDirectory)
    {
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(outputDirectory);
            foreach (var file in _files)
            {
                var target = Path.GetFullPath(Path.Combine(outputDirectory, file));
                var temporary = target + ".tmp";
                // Copy next to the target first: obj/ and bin/ may be on different volumes, and a rename is atomic only within one.
                File.Copy(Path.Combine(_path, file), temporary, overwrite: true);
                File.Move(temporary, target, overwrite: true);
                written.Add(target);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputFolder.NotWritable(outputDirectory, _modelName, e);
        }
        return written;
    }

    public void Dispose()
    {
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }
}
