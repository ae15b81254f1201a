using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Prune.Generators.Specs;

/// <summary>
/// A place in the user's source, as plain values: a <see cref="Location"/> holds a syntax tree, which would
/// keep the pipeline from caching, so specs carry this and diagnostics rebuild the location when reported.
/// </summary>
internal sealed record SourceSpot(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>1-based line of the start, as editors and <c>Prune.Specs.SourceLocation</c> count.</summary>
    public int Line => LineSpan.Start.Line + 1;

    /// <summary>1-based column of the start.</summary>
    public int Column => LineSpan.Start.Character + 1;

    public static SourceSpot From(Location location)
    {
        var line = location.GetLineSpan();
        return new SourceSpot(line.Path ?? "", location.SourceSpan, line.Span);
    }

    public static SourceSpot From(SyntaxNode node) => From(node.GetLocation());

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
