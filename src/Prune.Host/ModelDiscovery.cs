using System.Reflection;
using Prune.Specs;

namespace Prune.Host;

/// <summary>A [Model] class found in the user's assembly.</summary>
/// <param name="Spec">Its generated static <c>ModelSpec</c>.</param>
/// <param name="Create">Its generated parameterless constructor.</param>
internal sealed record DiscoveredModel(ModelSpec Spec, Func<Model> Create);

/// <summary>
/// Finds the models Prune's generator wrote into an assembly: non-abstract subclasses of <see cref="Model"/> with a
/// public static <c>ModelSpec</c> property and a public parameterless constructor.
/// </summary>
internal static class ModelDiscovery
{
    public const string SpecProperty = "ModelSpec";

    public static IReadOnlyList<DiscoveredModel> Find(Assembly assembly) =>
        LoadableTypes(assembly)
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Model).IsAssignableFrom(t))
            .Select(Describe)
            .OfType<DiscoveredModel>()
            .OrderBy(m => m.Spec.TypeName, StringComparer.Ordinal)
            .ToList();

    private static DiscoveredModel? Describe(Type type)
    {
        var property = type.GetProperty(SpecProperty, BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);
        var constructor = type.GetConstructor(Type.EmptyTypes);
        if (property?.GetValue(null) is not ModelSpec spec || constructor is null) return null;
        // Unwrapped: when the model's constructor throws, its own exception (and message) is the one to report.
        return new DiscoveredModel(spec, () => (Model)constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, parameters: null, culture: null));
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }
}
