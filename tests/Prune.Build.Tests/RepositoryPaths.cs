using System.Reflection;

namespace Prune.Build.Tests;

/// <summary>Where this repository and its build outputs are, seen from the running tests.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in; the throwaway projects use Prune's outputs of the same one.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string BreastCancerCsv => Path.Combine(Root, "data", "breast_cancer_wisconsin.csv");

    /// <summary>The pipeline's host, where eng/UsePruneFromSource.targets points the build.</summary>
    /// <summary>The ML.NET package's pretrained ResNet-18, where NuGet restored it (this project's PkgMicrosoft_ML_DnnImageFeaturizer_ResNet18).</summary>
    public static string ResNet18Onnx => Path.Combine(typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18Package").Value!, "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    public static string HostAssembly => Path.Combine(Root, "src", "Prune.Host", "bin", Configuration, "net10.0", "Prune.Host.dll");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Prune.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Prune.sln above {AppContext.BaseDirectory}.");
    }
}
