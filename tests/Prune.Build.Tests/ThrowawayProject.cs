namespace Prune.Build.Tests;

/// <summary>
/// A small project in a temporary folder that uses Prune from this repository (through eng/UsePruneFromSource.*),
/// with one tabular model on its own copy of the breast-cancer CSV: small enough that a full build trains in seconds.
/// </summary>
internal sealed class ThrowawayProject : IDisposable
{
    public const string ModelName = "TinyClassifier";

    /// <param name="name">The project's name (and its assembly's).</param>
    /// <param name="projectContent">More MSBuild elements for the project file (properties, items).</param>
    /// <param name="sources">More source files, by file name.</param>
    public ThrowawayProject(string name, string projectContent = "", params (string FileName, string Source)[] sources)
    {
        Name = name;
        Directory = Path.Combine(Path.GetTempPath(), $"prune-{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        File.Copy(RepositoryPaths.BreastCancerCsv, DataFile);
        File.WriteAllText(ProjectFile, ProjectFileContent(projectContent));
        WriteModel(finalSparsity: "0.5");
        foreach (var (fileName, source) in sources) File.WriteAllText(Path.Combine(Directory, fileName), source);
    }

    public string Name { get; }

    public string Directory { get; }

    public string ProjectFile => Path.Combine(Directory, $"{Name}.csproj");

    public string BinDirectory => Path.Combine(Directory, "bin", RepositoryPaths.Configuration, "net10.0");

    public string OutputDirectory => Path.Combine(BinDirectory, "pruned");

    public string ModelFile => Path.Combine(Directory, "TinyClassifier.cs");

    /// <summary>The project's data (PruneData): a copy of the breast-cancer CSV, so tests may change it.</summary>
    public string DataFile => Path.Combine(Directory, "data.csv");

    /// <summary>The model's source, with its final sparsity as given (a C# literal, so tests can also write a bad one).</summary>
    public void WriteModel(string finalSparsity) => File.WriteAllText(ModelFile, $$"""
        using Prune;

        namespace Throwaway;

        [Model(30)]
        [PolynomialDecay(0.0, {{finalSparsity}}, beginStep: 0, endStep: 40, frequency: 10)]
        [Training(Epochs = 8, FineTuneEpochs = 6, BatchSize = 32, LearningRate = 0.005)]
        public partial class {{ModelName}}
        {
            [Dense(16, activation: Activation.Relu), Prune] private readonly Layer hidden;
            [Dense(1, activation: Activation.Sigmoid)] private readonly Layer output;
        }

        """);

    public BuildResult Build(params string[] arguments) => DotnetBuild.Run(Directory, "build", arguments);

    public RunningBuild StartBuild(params string[] arguments) => DotnetBuild.Start(Directory, "build", arguments);

    public BuildResult Clean() => DotnetBuild.Run(Directory, "clean");

    public string Artifact(string suffix) => Path.Combine(OutputDirectory, ModelName + suffix);

    private static string ProjectFileContent(string projectContent)
    {
        var eng = Path.Combine(RepositoryPaths.Root, "eng");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{eng}/UsePruneFromSource.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <PruneData>data.csv</PruneData>
                <PruneLabelColumn>benign</PruneLabelColumn>
              </PropertyGroup>
              {projectContent}
              <Import Project="{eng}/UsePruneFromSource.targets" />
            </Project>
            """;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process that still holds a file: the temporary folder is cleaned by the system eventually.
        }
    }
}
