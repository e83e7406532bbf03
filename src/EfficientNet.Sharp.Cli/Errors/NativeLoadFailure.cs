using System.Text.RegularExpressions;

namespace EfficientNet.Sharp.Cli.Errors;

/// <summary>
/// Recognises "libtorch could not be loaded" in an exception chain. TorchSharp reports it as a
/// <see cref="TypeInitializationException"/> for <c>TorchSharp.torch</c> around a
/// <see cref="DllNotFoundException"/> whose long text claims the app lacks a libtorch package; the real
/// cause, a C++ runtime without <c>GLIBCXX_3.4.32</c> on Debian 12, is buried in the loader messages.
/// </summary>
internal static partial class NativeLoadFailure
{
    /// <summary>The explanation and the fix, or null when the exception is something else.</summary>
    public static (string Message, string Hint)? Describe(Exception exception)
    {
        Exception[] chain = [.. Chain(exception)];
        bool torchSharp = chain.Any(e => e is TypeInitializationException { TypeName: "TorchSharp.torch" })
            || chain.Any(e => e is DllNotFoundException && (e.Message.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase)));
        if (!torchSharp)
        {
            return null;
        }

        string text = string.Join("\n", chain.Select(e => e.Message));
        Match glibcxx = MissingSymbolVersion().Match(text);
        return glibcxx.Success
            ? ($"libtorch cannot be loaded: this system's C++ runtime (libstdc++) lacks {glibcxx.Value}, which libtorch 2.10 needs (GCC 13 or newer).",
                "install a newer libstdc++6: on Debian 12, run 'sudo eng/install-prerequisites.sh' from the repository (it adds Debian 13's libstdc++6 with apt pin priority 100), or use a distribution with GCC 13 or newer.")
            : ($"libtorch cannot be loaded: {FirstLine(chain.Last(e => e is DllNotFoundException or TypeInitializationException).Message)}",
                "the application needs exactly one TorchSharp backend package (TorchSharp-cpu, or a CUDA bundle) for this operating system.");
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [GeneratedRegex(@"GLIBCXX_[0-9]+(\.[0-9]+)+")]
    private static partial Regex MissingSymbolVersion();
}
