namespace Prune.Build.Tests;

/// <summary>
/// A small project in a temporary folder that uses Prune from this repository (through eng/UsePruneFromSource.*),
/// with one tabular model on the breast-cancer CSV: small enough that a full build trains in seconds.
/// </summary>
internal sealed class ThrowawayProject : IDisposable
{
    public const string ModelName = "TinyClassifier";

    public ThrowawayProject(string name)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"prune-{name}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, $"{name}.csproj"), ProjectFile());
        WriteModel(finalSparsity: "0.5");
    }

    public string Directory { get; }

    public string OutputDirectory => Path.Combine(Directory, "bin", RepositoryPaths.Configuration, "net10.0", "pruned");

    public string ModelFile => Path.Combine(Directory, "TinyClassifier.cs");

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

    private static string ProjectFile()
    {
        var eng = Path.Combine(RepositoryPaths.Root, "eng");
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{eng}/UsePruneFromSource.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <PruneData>{RepositoryPaths.BreastCancerCsv}</PruneData>
                <PruneLabelColumn>benign</PruneLabelColumn>
              </PropertyGroup>
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
