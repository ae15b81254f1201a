using Prune.Build.Tests;

namespace Prune.Serving.Tests;

/// <summary>
/// Two small CNNs trained on real MNIST by one real <c>dotnet build</c> of a throwaway project (PruneOnnx=true), the way
/// a user's build writes them: their .onnx and .tflite files are what the server tests serve and compare with.
/// <see cref="First"/> is served as version 1; <see cref="Second"/> (another architecture) is the version 2 that hot
/// reload tests drop in.
/// </summary>
public sealed class BuiltModels : IDisposable
{
    public BuiltModels()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"prune-serving-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "Served.csproj"), ProjectFile());
        File.WriteAllText(Path.Combine(Directory, "Models.cs"), Models);
        Build = DotnetBuild.Run(Directory, "build");
        if (!Build.Succeeded) throw new InvalidOperationException($"The throwaway MNIST build failed:\n{Build}");
    }

    public string Directory { get; }

    internal BuildResult Build { get; }

    private string Output => Path.Combine(Directory, "bin", RepositoryPaths.Configuration, "net10.0", "pruned");

    public string First => Path.Combine(Output, "ServedCnn.onnx");

    public string FirstTflite => Path.Combine(Output, "ServedCnn.tflite");

    public string Second => Path.Combine(Output, "ServedCnnWide.onnx");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process still holds a file: the temporary folder goes with the system's cleanup.
        }
    }

    private const string Models = """
        using Prune;

        namespace Served;

        [Model(1, 28, 28)]
        [ConstantSparsity(0.5, beginStep: 0, frequency: 10)]
        [Training(Epochs = 1, FineTuneEpochs = 1, BatchSize = 64, LearningRate = 0.003)]
        public partial class ServedCnn
        {
            [Conv2D(8, 3, activation: Activation.Relu), Prune] private readonly Layer conv;
            [MaxPool2D(2)] private readonly Layer pool;
            [Flatten] private readonly Layer flatten;
            [Dense(10), Prune] private readonly Layer logits;
        }

        [Model(1, 28, 28)]
        [ConstantSparsity(0.5, beginStep: 0, frequency: 10)]
        [Training(Epochs = 1, FineTuneEpochs = 1, BatchSize = 64, LearningRate = 0.003)]
        public partial class ServedCnnWide
        {
            [Conv2D(16, 5, stride: 2, activation: Activation.Relu), Prune] private readonly Layer conv;
            [Flatten] private readonly Layer flatten;
            [Dense(10), Prune] private readonly Layer logits;
        }

        """;

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
                <PruneOnnx>true</PruneOnnx>
                <PruneInt8>false</PruneInt8>
                <PruneVerifyWithLiteRt>false</PruneVerifyWithLiteRt>
                <PruneTrainLimit>4000</PruneTrainLimit>
              </PropertyGroup>
              <Import Project="{eng}/UsePruneFromSource.targets" />
            </Project>
            """;
    }
}

/// <summary>Every server test shares the one build; the classes run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ServedModelsCollection : ICollectionFixture<BuiltModels>
{
    public const string Name = "served models";
}
