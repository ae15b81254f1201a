namespace Prune.Runtime.Tests.Training;

/// <summary>Files of the repository the tests read, found by walking up from the test binaries.</summary>
internal static class RepoFiles
{
    public static string BreastCancerCsv => Find(Path.Combine("data", "breast_cancer_wisconsin.csv"));

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}.");
    }
}
