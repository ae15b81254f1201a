using System.Globalization;

namespace Prune.Specs.Rules;

/// <summary>Numbers and shapes as messages write them on every machine: 0.5, never 0,5; <c>[1, 28, 28]</c>; <c>3x3</c>.</summary>
internal static class Formats
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Shape(IEnumerable<int> dimensions) => "[" + string.Join(", ", dimensions.Select(d => Number(d))) + "]";

    public static string Shape(IEnumerable<long> dimensions) => "[" + string.Join(", ", dimensions.Select(Number)) + "]";

    public static string Size(long height, long width) => Number(height) + "x" + Number(width);
}
