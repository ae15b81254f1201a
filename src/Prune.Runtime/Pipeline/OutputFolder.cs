namespace Prune.Pipeline;

/// <summary>
/// The folder a model's artifacts go to. It is checked before any training, so a folder that cannot be written fails
/// the build in a second, with a coded error naming it, not after minutes of training.
/// </summary>
internal static class OutputFolder
{
    /// <summary>Writes and deletes a file in <paramref name="directory"/>, creating the folder for that if needed and
    /// removing it again, so that a build that fails later leaves not even an empty folder.</summary>
    /// <exception cref="PipelineException">The folder cannot be created or written.</exception>
    public static void CheckWritable(string directory, string modelName)
    {
        try
        {
            var existed = Directory.Exists(directory);
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".prune-write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            if (!existed) Directory.Delete(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotWritable(directory, modelName, e);
        }
    }

    public static PipelineException NotWritable(string directory, string modelName, Exception e) => new(PipelineFailure.OutputNotWritable,
        $"{modelName}'s files cannot be written to the folder {directory}: {e.Message} Make the folder writable, or set PruneOutputDir to another one.",
        inner: e);
}
