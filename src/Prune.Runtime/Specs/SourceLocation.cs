namespace Prune.Specs;

/// <summary>Where a declaration stands in the user's source, for errors raised after compilation.</summary>
/// <param name="FilePath">The source file, as the compiler saw it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string FilePath, int Line, int Column)
{
    /// <summary>As MSBuild and compilers write it: <c>path(line,column)</c>.</summary>
    public override string ToString() => $"{FilePath}({Line},{Column})";
}
