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

    /// <summary>
    /// Moves every staged file into <paramref name="outputDirectory"/>, all or none: when any step fails, the output
    /// folder holds the files it held before (the previous build's).
    /// </summary>
    /// <exception cref="PipelineException">The output folder cannot be written (it was checked before training, but may have changed since).</exception>
    public IReadOnlyList<string> MoveTo(string outputDirectory)
    {
        try
        {
            return MoveAllOrNone(outputDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputFolder.NotWritable(outputDirectory, _modelName, e);
        }
    }

    private List<string> MoveAllOrNone(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var moves = _files.Select(f => new Move(Path.Combine(_path, f), Path.GetFullPath(Path.Combine(outputDirectory, f)))).ToList();

        // 1. Copy each file next to its target: obj/ and bin/ may be on different volumes, and a rename is atomic only
        //    within one. This is where a full disk or an unwritable folder fails, before any previous file is touched.
        try
        {
            foreach (var move in moves)
            {
                File.Delete(move.Previous); // a leftover of a run that was killed: never to be put back
                File.Copy(move.Staged, move.Temporary, overwrite: true);
            }
        }
        catch
        {
            foreach (var move in moves) TryDelete(move.Temporary);
            throw;
        }

        // 2. Rename each over its target, keeping the file it replaces until all are in place, to put back on failure.
        var done = new List<Move>();
        try
        {
            foreach (var move in moves)
            {
                if (File.Exists(move.Target)) File.Replace(move.Temporary, move.Target, move.Previous);
                else File.Move(move.Temporary, move.Target);
                done.Add(move);
            }
        }
        catch
        {
            foreach (var move in moves)
            {
                // The failed move too: a replace that failed halfway may have set its target aside already.
                if (File.Exists(move.Previous)) File.Move(move.Previous, move.Target, overwrite: true);
                else if (done.Contains(move)) TryDelete(move.Target);
                TryDelete(move.Temporary);
            }
            throw;
        }
        foreach (var move in moves) TryDelete(move.Previous);
        return moves.Select(m => m.Target).ToList();
    }

    public void Dispose()
    {
        if (Directory.Exists(_path)) Directory.Delete(_path, recursive: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Cleaning up after a failure: the original error is the one to report.
        }
    }

    /// <summary>One file's way from the staging folder to its target, with the names it passes through beside the target.</summary>
    private sealed record Move(string Staged, string Target)
    {
        public string Temporary => Target + ".tmp";

        public string Previous => Target + ".previous";
    }
}
