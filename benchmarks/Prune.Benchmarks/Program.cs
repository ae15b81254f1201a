using System.Reflection;
using Prune.Benchmarks;

// Every IBenchmark in this assembly, by name. Benchmarks are long runs on full data, kept out of the tests.
var benchmarks = typeof(Program).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToDictionary(b => b.Name, StringComparer.Ordinal);

if (args.Length == 0 || args[0] is "--list" or "-h" or "--help")
{
    Console.WriteLine("usage: dotnet run -c Release --project benchmarks/Prune.Benchmarks -- <name> [args]");
    foreach (var b in benchmarks.Values) Console.WriteLine($"  {b.Name,-24} {b.Description}");
    return args.Length == 0 ? 1 : 0;
}

if (!benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"No benchmark named '{args[0]}'. Run with --list to see them.");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
Console.WriteLine($"# {benchmark.Name} ({Assembly.GetExecutingAssembly().GetName().Version}, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)");
return benchmark.Run(args.Skip(1).ToList(), cancellation.Token);
