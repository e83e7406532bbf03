using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EfficientNet.Sharp.IO;

/// <summary>
/// The file type, device and inode of a path, from the C library's <c>stat</c>/<c>lstat</c>. .NET reports
/// neither device nodes, FIFOs and sockets (they look like empty regular files) nor inode numbers, and both
/// decide whether a path may be read as data or replaced by an output. The <c>struct stat</c> layout is read at
/// the offsets of each supported ABI (Linux x64 and arm64, macOS); elsewhere, and on Windows, the answer falls
/// back to what .NET can tell (directories and symbolic links).
/// </summary>
internal static partial class FileStatus
{
    private const int ModeTypeMask = 0xF000;
    private const int ModeDirectory = 0x4000;
    private const int ModeRegular = 0x8000;
    private const int ModeSymbolicLink = 0xA000;

    /// <summary>Big enough for every supported <c>struct stat</c> (144 bytes on Linux x64).</summary>
    private const int BufferSize = 256;

    private static readonly Layout? Native = LayoutOfThisPlatform();

    /// <summary>What the path itself is (a final symbolic link is reported as one, not followed).</summary>
    public static FileEntryKind KindOf(string path) => Query(path, followLinks: false).Kind;

    /// <summary>What the path leads to, following symbolic links (an input named through a link is the file it names).</summary>
    public static FileEntryKind TargetKindOf(string path) => Query(path, followLinks: true).Kind;

    /// <summary>The (device, inode) pair of the file a path leads to, or null when it does not exist or the platform cannot tell.</summary>
    public static (ulong Device, ulong Inode)? IdentityOf(string path) => Query(path, followLinks: true).Identity;

    private static (FileEntryKind Kind, (ulong, ulong)? Identity) Query(string path, bool followLinks)
    {
        string full = Path.GetFullPath(path);
        if (Native is { } layout && layout.Call(full, followLinks) is { } buffer)
        {
            int type = layout.ModeOf(buffer) & ModeTypeMask;
            FileEntryKind kind = type switch
            {
                ModeRegular => FileEntryKind.RegularFile,
                ModeDirectory => FileEntryKind.Directory,
                ModeSymbolicLink => FileEntryKind.SymbolicLink,
                _ => FileEntryKind.Special,
            };
            return (kind, (layout.DeviceOf(buffer), layout.InodeOf(buffer)));
        }

        return (Fallback(full, followLinks), null);
    }

    /// <summary>What .NET alone can tell: absent, directory, symbolic link; everything else counts as a regular file (or, on Windows, a device).</summary>
    private static FileEntryKind Fallback(string path, bool followLinks)
    {
        var entry = new FileInfo(path);
        if (!entry.Exists && !Directory.Exists(path) && entry.LinkTarget is null)
        {
            return FileEntryKind.Absent;
        }

        if (entry.LinkTarget is not null)
        {
            return followLinks ? Fallback(entry.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path, followLinks: false) : FileEntryKind.SymbolicLink;
        }

        FileAttributes attributes = File.GetAttributes(path);
        return attributes.HasFlag(FileAttributes.Directory) ? FileEntryKind.Directory
            : attributes.HasFlag(FileAttributes.Device) ? FileEntryKind.Special
            : FileEntryKind.RegularFile;
    }

    private static Layout? LayoutOfThisPlatform()
    {
        if (OperatingSystem.IsLinux())
        {
            // glibc's struct stat (and musl's, which matches it on these two): st_dev, st_ino, then st_mode at 24
            // on x86-64 (after an 8-byte st_nlink) and at 16 on arm64.
            return RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => new Layout(DeviceOffset: 0, DeviceIs32Bit: false, InodeOffset: 8, ModeOffset: 24, LegacyVersion: 1, IsMac: false),
                Architecture.Arm64 => new Layout(DeviceOffset: 0, DeviceIs32Bit: false, InodeOffset: 8, ModeOffset: 16, LegacyVersion: 0, IsMac: false),
                _ => null,
            };
        }

        // macOS with 64-bit inodes: st_dev (int32), st_mode (uint16), st_nlink (uint16), st_ino (uint64).
        return OperatingSystem.IsMacOS() ? new Layout(DeviceOffset: 0, DeviceIs32Bit: true, InodeOffset: 8, ModeOffset: 4, LegacyVersion: 0, IsMac: true) : null;
    }

    private sealed record Layout(int DeviceOffset, bool DeviceIs32Bit, int InodeOffset, int ModeOffset, int LegacyVersion, bool IsMac)
    {
        private bool unavailable;

        public int ModeOf(byte[] buffer) => IsMac ? BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(ModeOffset)) : BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(ModeOffset));

        public ulong DeviceOf(byte[] buffer) => DeviceIs32Bit ? BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(DeviceOffset)) : BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(DeviceOffset));

        public ulong InodeOf(byte[] buffer) => BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(InodeOffset));

        /// <summary>The filled buffer, or null when the path does not exist (or the C library offers no usable entry point).</summary>
        public byte[]? Call(string path, bool followLinks)
        {
            if (unavailable)
            {
                return null;
            }

            byte[] buffer = new byte[BufferSize];
            try
            {
                int result = IsMac
                    ? (followLinks ? MacStat(path, buffer) : MacLstat(path, buffer))
                    : Linux(path, buffer, followLinks);
                return result == 0 ? buffer : null;
            }
            catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
            {
                unavailable = true;
                return null;
            }
        }

        private int Linux(string path, byte[] buffer, bool followLinks)
        {
            try
            {
                return followLinks ? Stat(path, buffer) : Lstat(path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.33 exports stat and lstat only as __xstat and __lxstat with a struct version.
                return followLinks ? LegacyStat(LegacyVersion, path, buffer) : LegacyLstat(LegacyVersion, path, buffer);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Lstat(string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "__xstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LegacyStat(int version, string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "__lxstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LegacyLstat(int version, string path, byte[] buffer);

    // On Intel Macs the plain names are the 32-bit-inode layout; the $INODE64 variants are the one read above
    // (on Apple silicon the plain names already are, and the suffixed ones also exist).
    [LibraryImport("libc", EntryPoint = "stat$INODE64", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MacStatInode64(string path, byte[] buffer);

    [LibraryImport("libc", EntryPoint = "lstat$INODE64", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MacLstatInode64(string path, byte[] buffer);

    private static int MacStat(string path, byte[] buffer) =>
        RuntimeInformation.ProcessArchitecture == Architecture.X64 ? MacStatInode64(path, buffer) : Stat(path, buffer);

    private static int MacLstat(string path, byte[] buffer) =>
        RuntimeInformation.ProcessArchitecture == Architecture.X64 ? MacLstatInode64(path, buffer) : Lstat(path, buffer);
}
