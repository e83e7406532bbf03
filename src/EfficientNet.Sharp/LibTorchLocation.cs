using System.Text.RegularExpressions;

namespace EfficientNet.Sharp;

/// <summary>
/// Where the dynamic loader found libtorch for TorchSharp's native library. TorchSharp 0.107's native library is
/// built against libtorch 2.10.0 and expects it beside itself, where a backend package (TorchSharp-cpu, or a CUDA
/// bundle) puts it. An application without a backend package still loads when another libtorch is on the loader
/// path (Debian's python3-torch installs libtorch 2.6 in /usr/lib), and then crashes in the first call. On Linux
/// the process's memory map says which files were loaded; elsewhere nothing is checked.
/// </summary>
internal static partial class LibTorchLocation
{
    /// <summary>The libtorch version TorchSharp 0.107 (the version this library references) is built for.</summary>
    public const string ExpectedVersion = "2.10.0";

    /// <summary>A libtorch library that is not beside TorchSharp's native library, or null when all are (or nothing can be read).</summary>
    public static (string Loaded, string Expected)? FindForeign()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string[] mapped;
        try
        {
            mapped = [.. File.ReadLines("/proc/self/maps").Select(PathOf).OfType<string>().Distinct(StringComparer.Ordinal)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string? bridge = mapped.FirstOrDefault(path => Path.GetFileName(path) == "libLibTorchSharp.so");
        if (bridge is null)
        {
            return null;
        }

        string expectedFolder = Path.GetDirectoryName(bridge)!;
        string? foreign = mapped.FirstOrDefault(path => LibTorchFile().IsMatch(Path.GetFileName(path)) && Path.GetDirectoryName(path) != expectedFolder);
        return foreign is null ? null : (foreign, expectedFolder);
    }

    /// <summary>The file of a line of /proc/self/maps (the sixth field), or null for anonymous mappings.</summary>
    private static string? PathOf(string line)
    {
        int slash = line.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : line[slash..].Replace(" (deleted)", "", StringComparison.Ordinal);
    }

    /// <summary>libtorch's own libraries, with or without a version suffix (libc10.so, libtorch_cpu.so.2.6, …).</summary>
    [GeneratedRegex(@"^lib(torch|torch_cpu|torch_cuda|c10|c10_cuda)\.so(\.[0-9.]+)?$")]
    private static partial Regex LibTorchFile();
}
