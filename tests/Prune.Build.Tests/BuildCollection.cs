namespace Prune.Build.Tests;

/// <summary>
/// Every test that runs <c>dotnet build</c> belongs here, so they run one at a time: two builds at once would
/// share two cores and Prune's cache folder, and make each other slow and flaky. They share the compiled
/// <see cref="ErrorProject"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BuildCollection : ICollectionFixture<ErrorProject>
{
    public const string Name = "dotnet build";
}
