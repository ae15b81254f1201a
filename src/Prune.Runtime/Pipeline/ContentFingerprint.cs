using System.Security.Cryptography;
using System.Text;

namespace Prune.Pipeline;

/// <summary>A short hash of files' contents and some settings: cache keys that change exactly when the inputs do.</summary>
internal static class ContentFingerprint
{
    /// <summary>Hashes the file at <paramref name="path"/> (or every file under the folder, in name order) and <paramref name="settings"/>.</summary>
    public static string Of(string path, params string[] settings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string[] files = Directory.Exists(path)
            ? [.. Directory.GetFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]
            : [path];
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file)));
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer.AsSpan(0, read));
        }
        return OfText(string.Join("\n", settings), Convert.ToHexString(hash.GetHashAndReset()));
    }

    /// <summary>Hashes text: the key of anything described by strings alone.</summary>
    public static string OfText(params string[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts))))[..16].ToLowerInvariant();
}
