using System.Text.RegularExpressions;

namespace EfficientNet.Sharp;

/// <summary>
/// libtorch, TorchSharp's native library, cannot be loaded, so no network can be built or run. Thrown by the
/// library's first call that needs TorchSharp (building a network or block, reading weights, preprocessing
/// an image, measuring a device) instead of TorchSharp's own type-initializer error, whose text blames a
/// missing package reference even when the cause is the system's C++ runtime.
/// </summary>
/// <remarks>
/// The usual cause on Linux: libtorch 2.10 needs a C++ runtime that exports <c>GLIBCXX_3.4.32</c>
/// (libstdc++ from GCC 13 or newer); Debian 12 has GCC 12's. The other: the application references no
/// TorchSharp backend package (TorchSharp-cpu, or a CUDA bundle) for this operating system.
/// </remarks>
public sealed partial class LibTorchUnavailableException : Exception
{
    private LibTorchUnavailableException(string message, string? missingSymbolVersion, Exception inner)
        : base(message, inner)
    {
        MissingSymbolVersion = missingSymbolVersion;
    }

    /// <summary>The C++ runtime symbol version the loader reported missing (for example <c>GLIBCXX_3.4.32</c>), or <see langword="null"/> when the cause is something else.</summary>
    public string? MissingSymbolVersion { get; }

    /// <summary>The explanation for a loader error (the <see cref="DllNotFoundException"/> from loading TorchSharp's native library).</summary>
    internal static LibTorchUnavailableException From(Exception loaderError)
    {
        Match symbol = SymbolVersion().Match(loaderError.Message);
        if (symbol.Success)
        {
            return new LibTorchUnavailableException(
                $"libtorch cannot be loaded: this system's C++ runtime (libstdc++) lacks {symbol.Value}, which libtorch 2.10 needs (libstdc++ from GCC 13 or newer). "
                + "On Debian 12, install libstdc++6 from Debian 13 pinned at a low priority (EfficientNet.Sharp's eng/install-prerequisites.sh does this); elsewhere, install a newer libstdc++. "
                + $"The loader said: {LineWith(loaderError.Message, symbol.Value)}",
                symbol.Value,
                loaderError);
        }

        return new LibTorchUnavailableException(
            "libtorch cannot be loaded: TorchSharp's native library (LibTorchSharp) was not found next to the application. "
            + "An application that uses EfficientNet.Sharp references exactly one TorchSharp backend package: TorchSharp-cpu, or a CUDA bundle for its operating system. "
            + $"The loader said: {loaderError.Message.Split('\n', 2)[0].Trim()}",
            null,
            loaderError);
    }

    /// <summary>The explanation when TorchSharp's native library loaded a libtorch that is not a backend package's.</summary>
    internal static LibTorchUnavailableException Foreign(string loaded, string expectedFolder) => new(
        $"libtorch cannot be used: TorchSharp's native library loaded '{loaded}', which is not from a TorchSharp backend package. "
        + $"TorchSharp 0.107 is built for libtorch {LibTorchLocation.ExpectedVersion}, which a backend package (TorchSharp-cpu 0.107, or a CUDA bundle) puts beside it in '{expectedFolder}'; "
        + "another libtorch (such as Debian's python3-torch, or one on LD_LIBRARY_PATH) crashes the process. Reference exactly one backend package in the application, and do not put another libtorch on LD_LIBRARY_PATH.",
        null,
        new DllNotFoundException($"Foreign libtorch: {loaded}"));

    private static string LineWith(string text, string part) =>
        text.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Contains(part, StringComparison.Ordinal)) ?? part;

    [GeneratedRegex(@"GLIBCXX_[0-9]+(\.[0-9]+)+")]
    private static partial Regex SymbolVersion();
}
