using Prune.Specs.Rules;

namespace Prune.Specs;

/// <summary>
/// A spec that breaks one of the rules the generator checks at compile time, so one built by hand (the generator
/// never writes such a spec). The message names the layer or setting and says what to change; it ends with the code of
/// the compile-time diagnostic for the rule (docs/diagnostics.md explains each), when the rule has one.
/// </summary>
public sealed class InvalidSpecException : ArgumentException
{
    internal InvalidSpecException(Problem problem, string? layerName = null)
        : base(problem.Code is { } code ? $"{problem.Message} ({code})" : problem.Message)
    {
        Rule = problem.Rule;
        Code = problem.Code;
        LayerName = layerName;
    }

    /// <summary>The layer whose spec breaks the rule, or null when the rule is about the model, its training or a schedule.</summary>
    public string? LayerName { get; }

    /// <summary>The diagnostic code of the rule (<c>PRUNE021</c>), or null for a rule only a spec written by hand can break
    /// (a declared shape that its settings do not give).</summary>
    public string? Code { get; }

    internal Rule Rule { get; }

    /// <summary>Throws for the first problem, if any.</summary>
    internal static void ThrowIfAny(IEnumerable<Problem?> problems)
    {
        if (problems.FirstOrDefault(p => p is not null) is { } first) throw new InvalidSpecException(first);
    }

    internal static void ThrowIfAny(Problem? problem) => ThrowIfAny([problem]);
}
