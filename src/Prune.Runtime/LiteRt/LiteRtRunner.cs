using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Prune.LiteRt;

/// <summary>
/// Runs <c>.tflite</c> files in Google's LiteRT (<c>@litertjs/core</c> 2.5.3, WebAssembly CPU) through Node: one
/// process per <see cref="Run(string, float[][])"/>, however many samples. Inputs are given as the <c>.tflite</c>
/// takes them: NHWC for images (see <see cref="NchwToNhwc"/>), [F] for feature vectors.
/// </summary>
internal sealed class LiteRtRunner
{
    /// <summary>Environment variable naming a directory whose <c>node_modules</c> holds <c>@litertjs/core</c>.</summary>
    public const string DirectoryVariable = "PRUNE_LITERT_DIR";

    private static readonly Lock InstallLock = new();

    private LiteRtRunner(string node, string script, string modules)
    {
        NodePath = node;
        ScriptPath = script;
        ModulesDirectory = modules;
    }

    /// <summary>The node executable.</summary>
    public string NodePath { get; }

    /// <summary>The harness script, <c>run.cjs</c>.</summary>
    public string ScriptPath { get; }

    /// <summary>The <c>node_modules</c> directory holding <c>@litertjs/core</c>.</summary>
    public string ModulesDirectory { get; }

    /// <summary>
    /// Finds node on PATH and <c>@litertjs/core</c>: in <c>$PRUNE_LITERT_DIR/node_modules</c>, else beside the harness,
    /// else installed with <c>npm ci</c> from the shipped lockfile into <c>&lt;cache&gt;/litert/&lt;lockfile hash&gt;</c>.
    /// </summary>
    /// <exception cref="LiteRtUnavailableException">Node 20+ or the package cannot be found or installed.</exception>
    public static LiteRtRunner Locate()
    {
        var harness = Path.Combine(AppContext.BaseDirectory, "LiteRt");
        var script = Path.Combine(harness, "run.cjs");
        if (!File.Exists(script))
            throw new LiteRtUnavailableException($"The LiteRT harness is missing: {script} (it is copied to the output of projects that reference Prune.Runtime).");
        var node = FindOnPath("node")
            ?? throw new LiteRtUnavailableException("Node.js was not found on PATH: install Node.js 20 or newer to run exported models in LiteRT.");
        var version = RunTool(node, ["--version"], null, TimeSpan.FromSeconds(30)).Output.Trim().TrimStart('v');
        if (!int.TryParse(version.Split('.')[0], out var major) || major < 20)
            throw new LiteRtUnavailableException($"Node.js {version} is too old: LiteRT needs Node.js 20 or newer.");

        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir)
        {
            var modules = Path.Combine(dir, "node_modules");
            if (!HasCore(modules))
                throw new LiteRtUnavailableException($"{DirectoryVariable}={dir} has no node_modules/@litertjs/core.");
            return new LiteRtRunner(node, script, modules);
        }
        var beside = Path.Combine(harness, "node_modules");
        if (HasCore(beside)) return new LiteRtRunner(node, script, beside);
        return new LiteRtRunner(node, script, InstallIntoCache(harness));
    }

    /// <summary>Runs every sample through the model in one Node process; returns the first output of each.</summary>
    /// <exception cref="LiteRtException">LiteRT logged an error, failed, or gave outputs of the wrong size.</exception>
    public float[][] Run(string tflitePath, float[][] samples) =>
        samples is { Length: 0 } ? [] : Split(Run(tflitePath, Flatten(samples), samples.Length), samples.Length);

    /// <summary>Runs every sample as <see cref="Run(string, float[][])"/> does, then times batch-1 inferences of the first
    /// in the same process (see <see cref="RunAndTime(string, float[], int, LatencyRuns)"/>).</summary>
    public (float[][] Outputs, Latency Latency) RunAndTime(string tflitePath, float[][] samples, LatencyRuns timing)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Length == 0) throw new ArgumentException("Timing needs a sample to run.", nameof(samples));
        var (outputs, latency) = RunAndTime(tflitePath, Flatten(samples), samples.Length, timing);
        return (Split(outputs, samples.Length), latency);
    }

    private static float[] Flatten(float[][] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var size = samples[0].Length;
        if (samples.Any(s => s.Length != size)) throw new ArgumentException("All samples must have the same length.", nameof(samples));
        var flat = new float[samples.Length * size];
        for (var i = 0; i < samples.Length; i++) samples[i].CopyTo(flat, i * size);
        return flat;
    }

    private static float[][] Split(float[] outputs, int samples)
    {
        var size = outputs.Length / samples;
        return Enumerable.Range(0, samples).Select(i => outputs.AsSpan(i * size, size).ToArray()).ToArray();
    }

    /// <summary>Runs <paramref name="sampleCount"/> samples stored back to back in <paramref name="flat"/>; returns their outputs back to back.</summary>
    public float[] Run(string tflitePath, float[] flat, int sampleCount) => Execute(tflitePath, flat, sampleCount, timing: null).Outputs;

    /// <summary>
    /// Runs the samples as <see cref="Run(string, float[], int)"/> does, then times batch-1 inferences of the first one in
    /// the same process: the process's start and the model's loading are not part of any timed run.
    /// </summary>
    public (float[] Outputs, Latency Latency) RunAndTime(string tflitePath, float[] flat, int sampleCount, LatencyRuns timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        var (outputs, latency) = Execute(tflitePath, flat, sampleCount, timing);
        return (outputs, latency!);
    }

    private (float[] Outputs, Latency? Latency) Execute(string tflitePath, float[] flat, int sampleCount, LatencyRuns? timing)
    {
        ArgumentNullException.ThrowIfNull(flat);
        if (!File.Exists(tflitePath)) throw new FileNotFoundException($"No model at {tflitePath}.", tflitePath);
        if (sampleCount <= 0 || flat.Length % sampleCount != 0)
            throw new ArgumentException($"{flat.Length} values do not split into {sampleCount} samples.", nameof(sampleCount));
        var work = Directory.CreateTempSubdirectory("prune-litert-");
        try
        {
            var inputPath = Path.Combine(work.FullName, "inputs.f32");
            var outputPath = Path.Combine(work.FullName, "outputs.f32");
            var timingsPath = Path.Combine(work.FullName, "timings.f64");
            var bytes = new byte[flat.Length * sizeof(float)];
            Buffer.BlockCopy(flat, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(inputPath, bytes);
            List<string> arguments = [ScriptPath, Path.GetFullPath(tflitePath), inputPath, outputPath, ModulesDirectory];
            if (timing is not null)
                arguments.AddRange(["--time", Invariant(timing.WarmUp), Invariant(timing.Runs), timingsPath]);
            var summary = Invoke(arguments, tflitePath);
            var parts = summary.Split(' ');
            var (samples, outputSize) = (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            var outputBytes = File.ReadAllBytes(outputPath);
            if (samples != sampleCount || outputBytes.Length != samples * outputSize * sizeof(float))
                throw new LiteRtException($"LiteRT ran {samples} samples of {outputSize} outputs for {tflitePath}; expected {sampleCount} samples and {outputBytes.Length / 4} floats written.");
            var outputs = new float[samples * outputSize];
            Buffer.BlockCopy(outputBytes, 0, outputs, 0, outputBytes.Length);
            return (outputs, timing is null ? null : ReadLatency(timingsPath, timing));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Times batch-1 inferences of several models side by side in one Node process: each warms up, then every round
    /// runs each model once, starting with a different one, so that a busy moment of a shared machine falls on all of
    /// them alike. Speeds compared this way are ratios measured in one run. All models read <paramref name="sample"/>.
    /// </summary>
    /// <exception cref="LiteRtException">LiteRT logged an error, failed, or a model's input does not fit the sample.</exception>
    public IReadOnlyList<Latency> TimeInterleaved(IReadOnlyList<string> tflitePaths, float[] sample, LatencyRuns timing)
    {
        ArgumentNullException.ThrowIfNull(tflitePaths);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(timing);
        if (tflitePaths.Count == 0) throw new ArgumentException("No models to time.", nameof(tflitePaths));
        foreach (var path in tflitePaths.Where(p => !File.Exists(p))) throw new FileNotFoundException($"No model at {path}.", path);
        var work = Directory.CreateTempSubdirectory("prune-litert-");
        try
        {
            var samplePath = Path.Combine(work.FullName, "sample.f32");
            var timingsPath = Path.Combine(work.FullName, "timings.f64");
            var bytes = new byte[sample.Length * sizeof(float)];
            Buffer.BlockCopy(sample, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(samplePath, bytes);
            List<string> arguments = [ScriptPath, "--interleave", Invariant(timing.WarmUp), Invariant(timing.Runs), timingsPath, samplePath, ModulesDirectory,
                .. tflitePaths.Select(Path.GetFullPath)];
            _ = Invoke(arguments, string.Join(", ", tflitePaths));
            var all = File.Exists(timingsPath) ? File.ReadAllBytes(timingsPath) : [];
            var expected = tflitePaths.Count * timing.Runs * sizeof(double);
            if (all.Length != expected)
                throw new LiteRtException($"LiteRT timed {all.Length / sizeof(double)} runs; {tflitePaths.Count} models × {timing.Runs} runs were asked for.");
            var milliseconds = new double[tflitePaths.Count * timing.Runs];
            Buffer.BlockCopy(all, 0, milliseconds, 0, all.Length);
            return [.. Enumerable.Range(0, tflitePaths.Count).Select(m => Latency.Of(milliseconds.AsSpan(m * timing.Runs, timing.Runs).ToArray(), timing.WarmUp))];
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs the harness with <paramref name="arguments"/>; returns its RESULT line.</summary>
    /// <exception cref="LiteRtException">LiteRT logged an error, the process failed, or it printed no result.</exception>
    private string Invoke(List<string> arguments, string what)
    {
        var result = RunTool(NodePath, arguments, null, TimeSpan.FromMinutes(10));
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var error = lines.FirstOrDefault(l => l.StartsWith("ERROR", StringComparison.Ordinal));
        if (error is not null || result.ExitCode != 0)
            throw new LiteRtException($"LiteRT failed on {what}: {error ?? $"node exited with code {result.ExitCode}"} {result.Error.Trim()}".Trim());
        return lines.LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new LiteRtException($"LiteRT gave no result for {what}: {result.Output.Trim()}");
    }

    private static Latency ReadLatency(string timingsPath, LatencyRuns timing)
    {
        var bytes = File.Exists(timingsPath) ? File.ReadAllBytes(timingsPath) : [];
        if (bytes.Length != timing.Runs * sizeof(double))
            throw new LiteRtException($"LiteRT timed {bytes.Length / sizeof(double)} runs; {timing.Runs} were asked for.");
        var milliseconds = new double[timing.Runs];
        Buffer.BlockCopy(bytes, 0, milliseconds, 0, bytes.Length);
        return Latency.Of(milliseconds, timing.WarmUp);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reorders a batch of [C, H, W] samples stored back to back into [H, W, C] order, as the <c>.tflite</c> input takes them.</summary>
    public static float[] NchwToNhwc(ReadOnlySpan<float> nchw, int channels, int height, int width)
    {
        var sample = channels * height * width;
        var result = new float[nchw.Length];
        for (var n = 0; n < nchw.Length / sample; n++)
            for (var c = 0; c < channels; c++)
                for (var h = 0; h < height; h++)
                    for (var w = 0; w < width; w++)
                        result[n * sample + (h * width + w) * channels + c] = nchw[n * sample + (c * height + h) * width + w];
        return result;
    }

    private static bool HasCore(string modules) => File.Exists(Path.Combine(modules, "@litertjs", "core", "package.json"));

    /// <summary><c>npm ci</c> of the shipped package.json and lockfile into a cache directory named after the lockfile's hash.</summary>
    private static string InstallIntoCache(string harness)
    {
        var lockfile = Path.Combine(harness, "package-lock.json");
        if (!File.Exists(lockfile)) throw new LiteRtUnavailableException($"The LiteRT harness lockfile is missing: {lockfile}.");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(lockfile)))[..16];
        var target = Path.Combine(PruneCache.Directory(), "litert", hash);
        var modules = Path.Combine(target, "node_modules");
        lock (InstallLock)
        {
            if (HasCore(modules)) return modules;
            var npm = FindOnPath("npm")
                ?? throw new LiteRtUnavailableException("npm was not found on PATH: install Node.js 20 or newer (with npm) so Prune can install @litertjs/core.");
            // Install beside the target, then rename: a half-finished install is never mistaken for a good one.
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var staging = $"{target}.{Guid.NewGuid():N}.tmp";
            Directory.CreateDirectory(staging);
            try
            {
                File.Copy(Path.Combine(harness, "package.json"), Path.Combine(staging, "package.json"));
                File.Copy(lockfile, Path.Combine(staging, "package-lock.json"));
                var result = RunTool(npm, ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], staging, TimeSpan.FromMinutes(5));
                if (result.ExitCode != 0 || !HasCore(Path.Combine(staging, "node_modules")))
                    throw new LiteRtUnavailableException($"npm ci of @litertjs/core into {staging} failed (exit code {result.ExitCode}): {result.Error.Trim()}");
                // Another process (a parallel build of another project) may have installed it meanwhile, and may be
                // running it: use that one. Only a broken install, without the core package, is replaced.
                if (HasCore(modules)) return modules;
                if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
                try
                {
                    Directory.Move(staging, target);
                }
                catch (IOException) when (HasCore(modules))
                {
                    // Lost the race between the check and the rename: the winner's install is as good as ours.
                }
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            return modules;
        }
    }

    private static string? FindOnPath(string name)
    {
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name + ".cmd" } : new[] { name };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var candidate in names)
                if (File.Exists(Path.Combine(dir, candidate))) return Path.Combine(dir, candidate);
        return null;
    }

    private static (int ExitCode, string Output, string Error) RunTool(string file, IEnumerable<string> args, string? workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new LiteRtUnavailableException($"Could not start {file}.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new LiteRtException($"{Path.GetFileName(file)} did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (process.ExitCode, output, error.Result);
    }
}
