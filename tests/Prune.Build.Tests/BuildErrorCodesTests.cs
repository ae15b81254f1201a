using System.Reflection;
using System.Text.RegularExpressions;
using Prune.Build.Protocol;

namespace Prune.Build.Tests;

/// <summary>Every build error code is documented for users and has a test that produces it, named in docs/testing.md.</summary>
public partial class BuildErrorCodesTests
{
    [Fact]
    public void Every_code_is_documented_and_produced_by_a_test_that_exists()
    {
        var codes = typeof(BuildErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        var userDoc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "build-errors.md"));
        var testingDoc = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "testing.md"));
        var testSources = string.Join('\n', Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

        Assert.True(codes.Count >= 16);
        foreach (var code in codes)
        {
            Assert.Contains($"| {code} |", userDoc, StringComparison.Ordinal);
            var row = testingDoc.SingleOrDefault(l => l.StartsWith($"| {code} |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/testing.md has no row for {code}");
            var tests = TestName().Matches(row).Select(m => m.Groups["method"].Value).ToList();
            Assert.True(tests.Count > 0, $"docs/testing.md names no test for {code}");
            Assert.All(tests, method => Assert.Matches($@"(void|Task) {method}\(", testSources));
        }
    }

    // `SomeTests.Method_name` in a table row.
    [GeneratedRegex(@"`\w+Tests\.(?<method>\w+)`")]
    private static partial Regex TestName();
}
