using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Prune.Generators.Emitting;

/// <summary>C# literals and identifiers, written the same on every machine (invariant culture, round-trip doubles).</summary>
internal static class Literals
{
    public static string Double(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>A name usable as an identifier: keywords get an <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary><c>new(1, 28, 28)</c>, a target-typed <c>TensorShape</c>.</summary>
    public static string Shape(IEnumerable<int> dimensions) => "new(" + string.Join(", ", dimensions.Select(d => Int(d))) + ")";
}
