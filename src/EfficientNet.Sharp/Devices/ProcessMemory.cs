using System.Globalization;
using System.Runtime.InteropServices;

namespace EfficientNet.Sharp.Devices;

/// <summary>
/// The process's resident memory on Linux, read from <c>/proc/self/status</c>, with its high-water mark
/// reset through <c>/proc/self/clear_refs</c>. libtorch allocates CPU tensors with the C allocator, so
/// their memory shows up here; on other systems nothing is read.
/// </summary>
internal static partial class ProcessMemory
{
    /// <summary>Starts a peak-memory window: returns resident bytes now, or null where this cannot be measured.</summary>
    public static long? BeginPeakWindow()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // Give freed heap back to the system first, so earlier, larger runs do not hide this one's growth.
            _ = MallocTrim(0);
            File.WriteAllText("/proc/self/clear_refs", "5");
            return ReadStatus("VmRSS:");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The resident high-water mark since <see cref="BeginPeakWindow"/>, minus the resident bytes at its start.</summary>
    public static long? EndPeakWindow(long? baseline)
    {
        if (baseline is not long start)
        {
            return null;
        }

        long? peak = ReadStatus("VmHWM:");
        return peak is long p ? Math.Max(0, p - start) : null;
    }

    private static long? ReadStatus(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                string[] parts = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
