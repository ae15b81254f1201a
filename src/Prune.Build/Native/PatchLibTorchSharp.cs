// Marks libLibTorchSharp.so's need for GLIBCXX_3.4.32 as weak, so TorchSharp loads on systems whose
// libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04). TorchSharp 0.107.0's native library names
// exactly one symbol of that version, _ZSt21ios_base_library_initv, and no relocation uses it:
// GCC 13 emits it only to pin the version. A weak version need lets the loader accept a libstdc++
// without it. Prune.LibTorchSharp.targets runs the task after every build that copies TorchSharp's natives.
using System.Text;
using Microsoft.Build.Framework;
using Prune.Build.Protocol;

namespace Prune.Build.Native;

/// <summary>The MSBuild face of <see cref="ElfVersionNeeds"/>: patches the copies under the build output.</summary>
public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    /// <summary>The native libraries to check (the copies under the output directory, never the NuGet cache).</summary>
    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version whose need becomes weak.</summary>
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    /// <summary>The system libstdc++ to consult; empty to search the usual places.</summary>
    public string SystemLibStdCxx { get; set; } = "";

    /// <inheritdoc/>
    public override bool Execute()
    {
        var libStdCxx = string.IsNullOrEmpty(SystemLibStdCxx) ? ElfVersionNeeds.FindSystemLibStdCxx() : SystemLibStdCxx;
        if (libStdCxx is not null && ElfVersionNeeds.DefinesVersion(libStdCxx, Version))
        {
            Log.LogMessage(MessageImportance.Low, $"{libStdCxx} defines {Version}: TorchSharp needs no patch.");
            return true;
        }
        foreach (var item in Libraries)
        {
            var path = item.GetMetadata("FullPath");
            try
            {
                var outcome = ElfVersionNeeds.MakeWeak(path, Version);
                Log.LogMessage(MessageImportance.Low, $"{path}: {outcome}");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Log.LogError(null, BuildErrorCodes.NativePatchFailed, null, path, 0, 0, 0, 0,
                    $"Could not make the {Version} need of this TorchSharp native library weak: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }
}

/// <summary>What <see cref="ElfVersionNeeds.MakeWeak"/> did.</summary>
public enum PatchOutcome
{
    /// <summary>The file does not need the version at all.</summary>
    NotNeeded,
    /// <summary>The need was already weak.</summary>
    AlreadyWeak,
    /// <summary>The need was strong and is now weak.</summary>
    Patched,
}

/// <summary>One entry of an ELF file's version needs (<c>.gnu.version_r</c>).</summary>
public readonly struct VersionNeed
{
    /// <summary>Creates an entry.</summary>
    public VersionNeed(string file, string version, ushort flags, long flagsOffset)
    {
        File = file;
        Version = version;
        Flags = flags;
        FlagsOffset = flagsOffset;
    }

    /// <summary>The library that must provide the version (e.g. libstdc++.so.6).</summary>
    public string File { get; }

    /// <summary>The version's name (e.g. GLIBCXX_3.4.32).</summary>
    public string Version { get; }

    /// <summary>The entry's vna_flags.</summary>
    public ushort Flags { get; }

    /// <summary>Where vna_flags lies in the file.</summary>
    public long FlagsOffset { get; }

    /// <summary>VER_FLG_WEAK: the loader does not fail when the version is missing.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>Whether the loader tolerates a library without this version.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}

/// <summary>
/// Reads and edits the GNU symbol-versioning sections of a 64-bit little-endian ELF file:
/// the version needs (<c>SHT_GNU_verneed</c>: Verneed entries, each a chain of Vernaux) and
/// the version definitions (<c>SHT_GNU_verdef</c>). Names come from the string table each
/// section links to.
/// </summary>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>Makes the need for <paramref name="version"/> weak, in place; a no-op when it is absent or already weak.</summary>
    public static PatchOutcome MakeWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var needs = ReadNeeds(bytes, path).FindAll(n => n.Version == version);
        if (needs.Count == 0) return PatchOutcome.NotNeeded;
        if (needs.TrueForAll(n => n.IsWeak)) return PatchOutcome.AlreadyWeak;

        // Write beside, then replace: a crash mid-write must not leave a library that cannot load.
        var originalTime = File.GetLastWriteTimeUtc(path);
        foreach (var need in needs)
            WriteUInt16(bytes, need.FlagsOffset, (ushort)(need.Flags | VersionNeed.WeakFlag));
        var temporary = path + ".prune-patch";
        File.WriteAllBytes(temporary, bytes);
        File.Replace(temporary, path, null);
        // Keep the original time so MSBuild's incremental copy sees an unchanged file and does
        // not copy the unpatched one over it on every build; this task re-checks each build anyway.
        File.SetLastWriteTimeUtc(path, originalTime);
        return PatchOutcome.Patched;
    }

    /// <summary>Every version need of the file at <paramref name="path"/>.</summary>
    public static List<VersionNeed> ReadNeeds(string path) => ReadNeeds(File.ReadAllBytes(path), path);

    /// <summary>Whether the ELF file at <paramref name="path"/> defines <paramref name="version"/> (as libstdc++ defines GLIBCXX_*).</summary>
    public static bool DefinesVersion(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var elf = new ElfSections(bytes, path);
        foreach (var section in elf.OfType(ShtGnuVerdef))
        {
            var strings = elf.Section(section.Link);
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                // Elf64_Verdef: vd_version(2) vd_flags(2) vd_ndx(2) vd_cnt(2) vd_hash(4) vd_aux(4) vd_next(4)
                var auxOffset = entry + ReadUInt32(bytes, entry + 12);
                // Elf64_Verdaux: vda_name(4) vda_next(4); the first names the version itself.
                if (elf.String(strings, ReadUInt32(bytes, auxOffset)) == version) return true;
                var next = ReadUInt32(bytes, entry + 16);
                if (next == 0) break;
                entry += next;
            }
        }
        return false;
    }

    /// <summary>The libstdc++ the dynamic loader would pick on this machine, or null when none is found.</summary>
    public static string? FindSystemLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
        };
        foreach (var candidate in candidates)
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    private static List<VersionNeed> ReadNeeds(byte[] bytes, string path)
    {
        var elf = new ElfSections(bytes, path);
        var needs = new List<VersionNeed>();
        foreach (var section in elf.OfType(ShtGnuVerneed))
        {
            var strings = elf.Section(section.Link);
            long entry = section.Offset;
            for (uint i = 0; i < section.Info; i++)
            {
                // Elf64_Verneed: vn_version(2) vn_cnt(2) vn_file(4) vn_aux(4) vn_next(4)
                var count = ReadUInt16(bytes, entry + 2);
                var file = elf.String(strings, ReadUInt32(bytes, entry + 4));
                var aux = entry + ReadUInt32(bytes, entry + 8);
                for (var j = 0; j < count; j++)
                {
                    // Elf64_Vernaux: vna_hash(4) vna_flags(2) vna_other(2) vna_name(4) vna_next(4)
                    elf.Check(aux + 16);
                    needs.Add(new VersionNeed(file, elf.String(strings, ReadUInt32(bytes, aux + 8)), ReadUInt16(bytes, aux + 4), aux + 4));
                    var nextAux = ReadUInt32(bytes, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                var next = ReadUInt32(bytes, entry + 12);
                if (next == 0) break;
                entry += next;
            }
        }
        return needs;
    }

    private static ushort ReadUInt16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);

    private static uint ReadUInt32(byte[] b, long at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

    private static ulong ReadUInt64(byte[] b, long at) => ReadUInt32(b, at) | (ulong)ReadUInt32(b, at + 4) << 32;

    private static void WriteUInt16(byte[] b, long at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }

    private readonly struct SectionHeader
    {
        public SectionHeader(uint type, long offset, long size, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
        }

        public uint Type { get; }
        public long Offset { get; }
        public long Size { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    /// <summary>The section header table of an ELF64 little-endian file, with bounds checks that name the file.</summary>
    private sealed class ElfSections
    {
        private readonly byte[] _bytes;
        private readonly string _path;
        private readonly SectionHeader[] _sections;

        public ElfSections(byte[] bytes, string path)
        {
            _bytes = bytes;
            _path = path;
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                throw new InvalidDataException($"{path} is not an ELF file.");
            if (bytes[4] != 2 || bytes[5] != 1)
                throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
            var tableOffset = (long)ReadUInt64(bytes, 0x28);
            var entrySize = ReadUInt16(bytes, 0x3A);
            var count = ReadUInt16(bytes, 0x3C);
            Check(tableOffset + (long)entrySize * count);
            _sections = new SectionHeader[count];
            for (var i = 0; i < count; i++)
            {
                var at = tableOffset + (long)i * entrySize;
                _sections[i] = new SectionHeader(
                    ReadUInt32(bytes, at + 4), (long)ReadUInt64(bytes, at + 24), (long)ReadUInt64(bytes, at + 32),
                    ReadUInt32(bytes, at + 40), ReadUInt32(bytes, at + 44));
                Check(_sections[i].Type == 8 /* SHT_NOBITS */ ? 0 : _sections[i].Offset + _sections[i].Size);
            }
        }

        public IEnumerable<SectionHeader> OfType(uint type)
        {
            foreach (var section in _sections)
                if (section.Type == type) yield return section;
        }

        public SectionHeader Section(uint index) =>
            index < _sections.Length ? _sections[index] : throw new InvalidDataException($"{_path}: section index {index} is out of range.");

        public string String(SectionHeader table, uint offset)
        {
            var start = table.Offset + offset;
            Check(start);
            var end = start;
            while (end < table.Offset + table.Size && _bytes[end] != 0) end++;
            return Encoding.ASCII.GetString(_bytes, (int)start, (int)(end - start));
        }

        public void Check(long end)
        {
            if (end < 0 || end > _bytes.Length)
                throw new InvalidDataException($"{_path} is truncated or corrupt: offset {end} lies beyond its {_bytes.Length} bytes.");
        }
    }
}
