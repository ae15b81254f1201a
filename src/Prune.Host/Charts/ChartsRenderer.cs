using System.Reflection;
using System.Runtime.Loader;
using Prune.Pipeline;

namespace Prune.Host.Charts;

/// <summary>
/// Draws the reports' charts with Prune.Charts (ScottPlot), loaded from the host's <c>charts/</c> folder into a load
/// context of its own: the host runs on the user's deps.json, whose SkiaSharp (TorchSharp's, 2.88) is older than
/// ScottPlot's, and the user's project does not carry ScottPlot at all. Only a string goes in and bytes come out, so no
/// type is shared between the contexts. A chart that cannot be drawn is left out of the report, never a failed build.
/// </summary>
internal sealed class ChartsRenderer(Func<string, byte[]> render, IPipelineLog log) : IChartRenderer
{
    private const string AssemblyFile = "Prune.Charts.dll";
    private bool _failed;

    /// <summary>The renderer beside this host; null (reports without charts, said in the detailed log) when it is missing.</summary>
    public static ChartsRenderer? Load(IPipelineLog log)
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(ChartsRenderer).Assembly.Location)!, "charts", AssemblyFile);
        if (!File.Exists(path))
        {
            log.Info($"Reports get no charts: {path} is missing.");
            return null;
        }
        var assembly = new ChartsLoadContext(path).LoadFromAssemblyPath(path);
        var method = assembly.GetType("Prune.Charts.PngCharts", throwOnError: true)!.GetMethod("Render", [typeof(string)])!;
        return new ChartsRenderer(method.CreateDelegate<Func<string, byte[]>>(), log);
    }

    public byte[]? RenderPng(string chartJson)
    {
        if (_failed) return null;
        try
        {
            return render(chartJson);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // ScottPlot or its natives failed here (fonts, a missing system library): the numbers are in the report anyway.
            _failed = true;
            log.Info($"Reports get no charts: drawing one failed: {e}");
            return null;
        }
    }

    /// <summary>Resolves Prune.Charts' own dependencies (managed and native) from its deps.json, the rest from the host's.</summary>
    private sealed class ChartsLoadContext(string mainAssembly) : AssemblyLoadContext("Prune.Charts")
    {
        private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

        protected override Assembly? Load(AssemblyName assemblyName) =>
            _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
