namespace Prune.Data;

/// <summary>A dataset file that is corrupt, truncated or not in the expected format; the message names the file and the problem.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Reports a problem with <paramref name="path"/>.</summary>
    public DataFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file (or archive entry) at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it, without the path.</summary>
    public string Problem { get; }
}
