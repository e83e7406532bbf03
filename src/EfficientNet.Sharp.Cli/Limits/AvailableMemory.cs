using System.Globalization;

namespace EfficientNet.Sharp.Cli.Limits;

/// <summary>
/// Memory this process can still take: on Linux the kernel's estimate (<c>MemAvailable</c> in /proc/meminfo,
/// capped by a cgroup limit), elsewhere what the .NET runtime reports as available to it.
/// </summary>
internal static class AvailableMemory
{
    /// <summary>Bytes available now.</summary>
    public static long Bytes()
    {
        long runtime = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (!OperatingSystem.IsLinux())
        {
            return runtime;
        }

        long? free = ReadMemAvailable();
        return free is long bytes ? Math.Min(bytes, runtime) : runtime;
    }

    private static long? ReadMemAvailable()
    {
        try
        {
            string? line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            string[]? fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: >= 2 } && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kibibytes) ? kibibytes * 1024 : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
