using Prune.Specs.Rules;

namespace Prune.Specs;

internal static class PaddingRules
{
    /// <summary>The padding as the shape rules (shared with the generator, which maps the attribute's member name the same way) see it.</summary>
    public static WindowPadding Rule(this Padding padding) => WindowPaddings.Named(padding.ToString());
}
