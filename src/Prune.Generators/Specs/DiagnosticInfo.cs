using Microsoft.CodeAnalysis;

namespace Prune.Generators.Specs;

/// <summary>A diagnostic waiting to be reported: descriptor, place and message arguments, all equatable.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, SourceSpot Where, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Where.ToLocation(), [.. Arguments]);
}
