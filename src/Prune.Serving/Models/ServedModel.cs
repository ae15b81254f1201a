using Microsoft.Extensions.Logging;
using Prune.Serving.Config;

namespace Prune.Serving.Models;

/// <summary>TensorFlow Serving's states of a model version (<c>ModelVersionStatus.State</c>).</summary>
public enum VersionState
{
    /// <summary>Being loaded.</summary>
    Loading,
    /// <summary>Serving requests.</summary>
    Available,
    /// <summary>Not serving: unloaded, or failed to load (then with an error).</summary>
    End,
}

/// <summary>What the status endpoint says about one version.</summary>
/// <param name="Version">The version number (its folder's name).</param>
/// <param name="State">Its state.</param>
/// <param name="Error">Why it failed to load, or null.</param>
public sealed record VersionStatus(long Version, VersionState State, string? Error);

/// <summary>
/// One served model: the versions on disk, which of them the policy serves, and hot reload. <see cref="Poll"/> looks
/// at the base path (TensorFlow Serving's file-system polling) and loads a version that appeared or whose
/// <c>model.onnx</c> changed; only once it is available are the versions it replaces retired. A version that fails
/// to load is logged and reported, and the versions before it keep serving; it is tried again when its file changes.
/// </summary>
internal sealed class ServedModel(ModelSource source, ServingOptions options, ServingMetrics metrics, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, LoadedVersion> _loaded = [];
    private readonly SortedDictionary<long, VersionStatus> _status = [];
    private readonly Dictionary<long, (long Length, DateTime Written)> _failed = [];
    private readonly Dictionary<long, (long Length, DateTime Written)> _loadedFrom = [];

    public string Name => source.Name;

    /// <summary>Every version seen, newest first.</summary>
    public IReadOnlyList<VersionStatus> Status
    {
        get
        {
            lock (_lock) return _status.Values.Reverse().ToList();
        }
    }

    /// <summary>A lease on the newest available version, or on <paramref name="version"/>; null when there is none.
    /// The caller releases it.</summary>
    public LoadedVersion? Acquire(long? version)
    {
        while (true)
        {
            LoadedVersion? candidate;
            lock (_lock)
            {
                candidate = version is { } v ? _loaded.GetValueOrDefault(v) : _loaded.Count > 0 ? _loaded.Last().Value : null;
            }
            if (candidate is null) return null;
            if (candidate.TryAcquire()) return candidate;
            // Retired between the lookup and the lease: look again, the replacement is in place.
        }
    }

    /// <summary>One look at the base path: load what is new or changed, retire what the policy no longer serves.</summary>
    public void Poll()
    {
        var onDisk = VersionFiles();
        // Versions that failed stay out while their file is unchanged; a changed file is tried again.
        var candidates = onDisk.Where(v => !_failed.TryGetValue(v.Key, out var failed) || failed != Fingerprint(v.Value)).ToDictionary();
        while (true)
        {
            var wanted = Wanted(candidates.Keys);
            var toLoad = wanted.Where(v => !_loadedFrom.TryGetValue(v, out var from) || from != Fingerprint(candidates[v])).ToList();
            var anyFailed = false;
            foreach (var version in toLoad)
            {
                if (!TryLoad(version, candidates[version]))
                {
                    candidates.Remove(version);
                    anyFailed = true;
                }
            }
            if (!anyFailed)
            {
                RetireAllBut(wanted);
                return;
            }
            // A wanted version failed: the policy picks again among the rest (e.g. the previous latest stays).
        }
    }

    /// <summary>Retires every version, for shutdown.</summary>
    public void RetireAll() => RetireAllBut([]);

    private bool TryLoad(long version, string path)
    {
        var fingerprint = Fingerprint(path);
        SetStatus(new VersionStatus(version, VersionState.Loading, null));
        try
        {
            var loaded = LoadedVersion.Load(Name, version, File.ReadAllBytes(path), options, metrics);
            LoadedVersion? replaced;
            lock (_lock)
            {
                replaced = _loaded.GetValueOrDefault(version);
                _loaded[version] = loaded;
                _status[version] = new VersionStatus(version, VersionState.Available, null);
            }
            replaced?.Retire();
            _loadedFrom[version] = fingerprint;
            _failed.Remove(version);
            logger.LogInformation("Model {Model}: version {Version} loaded from {Path} (input {Input}, output {Output}).",
                Name, version, path, loaded.Signature.Input, loaded.Signature.Output);
            return true;
        }
        catch (Exception e) when (e is ConfigException or IOException or UnauthorizedAccessException)
        {
            _failed[version] = fingerprint;
            metrics.LoadFailed(Name);
            var message = $"{path}: {e.Message}";
            lock (_lock)
            {
                // A version that was serving and whose file became unloadable keeps serving its loaded copy.
                _status[version] = _loaded.ContainsKey(version)
                    ? new VersionStatus(version, VersionState.Available, null)
                    : new VersionStatus(version, VersionState.End, message);
            }
            logger.LogError("Model {Model}: version {Version} failed to load and is not served: {Error}", Name, version, message);
            return false;
        }
    }

    private void RetireAllBut(IReadOnlyCollection<long> wanted)
    {
        List<LoadedVersion> retired;
        lock (_lock)
        {
            retired = _loaded.Where(v => !wanted.Contains(v.Key)).Select(v => v.Value).ToList();
            foreach (var version in retired)
            {
                _loaded.Remove(version.Version);
                _status[version.Version] = new VersionStatus(version.Version, VersionState.End, null);
                _loadedFrom.Remove(version.Version);
            }
        }
        foreach (var version in retired)
        {
            version.Retire();
            logger.LogInformation("Model {Model}: version {Version} unloaded.", Name, version.Version);
        }
    }

    private void SetStatus(VersionStatus status)
    {
        lock (_lock)
        {
            // While a replacement loads, a version that serves keeps saying so.
            if (!_loaded.ContainsKey(status.Version)) _status[status.Version] = status;
        }
    }

    private List<long> Wanted(IEnumerable<long> versions)
    {
        var policy = source.Policy;
        if (policy.Specific is { } specific) return versions.Where(specific.Contains).ToList();
        var newestFirst = versions.OrderDescending();
        return (policy.Latest is { } latest ? newestFirst.Take(latest) : newestFirst).ToList();
    }

    /// <summary>Version number to model file: <c>{base}/{n}/model.onnx</c> for every numeric folder that has one, or the
    /// base path itself as version 1 when it is a file.</summary>
    private Dictionary<long, string> VersionFiles()
    {
        var basePath = source.BasePath;
        if (File.Exists(basePath)) return new() { [1] = basePath };
        var versions = new Dictionary<long, string>();
        if (!Directory.Exists(basePath)) return versions;
        foreach (var directory in Directory.EnumerateDirectories(basePath))
        {
            if (long.TryParse(Path.GetFileName(directory), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
                && File.Exists(Path.Combine(directory, ModelFileName)))
            {
                versions[version] = Path.Combine(directory, ModelFileName);
            }
        }
        return versions;
    }

    /// <summary>The file in each version folder.</summary>
    public const string ModelFileName = "model.onnx";

    private static (long Length, DateTime Written) Fingerprint(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.Length, file.LastWriteTimeUtc) : (-1, default);
    }
}
