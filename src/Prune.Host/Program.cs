using System.Reflection;
using static TorchSharp.torch;

namespace Prune.Host;

/// <summary>Entry point (spike): load the user's assembly and touch TorchSharp.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var assembly = Assembly.LoadFrom(args[0]);
        Console.WriteLine($"loaded {assembly.GetName().Name}; base {AppContext.BaseDirectory}");
        using var t = ones(2, 2);
        Console.WriteLine($"sum {t.sum().item<float>()}");
        return 0;
    }
}
