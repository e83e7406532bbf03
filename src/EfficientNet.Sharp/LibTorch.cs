using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace EfficientNet.Sharp;

/// <summary>
/// Checks once per process that TorchSharp's native library loads, before anything touches TorchSharp.
/// TorchSharp's own first call reports a failed load with a type-initializer error that blames a missing
/// package, writes a 45-line trace to stdout and, as a fallback meant for notebooks, copies about 480 MB of
/// libtorch from the NuGet cache next to the application. Loading the library the same way TorchSharp
/// first tries (by name, relative to TorchSharp.dll) gives the loader's own message instead.
/// </summary>
/// <remarks>
/// The library calls <see cref="EnsureAvailable"/> before its first TorchSharp call; an application may call
/// it at start-up to fail early, before any work, with the explanation.
/// </remarks>
public static class LibTorch
{
    private static readonly Lazy<LibTorchUnavailableException?> Failure = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Checks (once per process) that libtorch loads.</summary>
    /// <exception cref="LibTorchUnavailableException">libtorch cannot be loaded; the message names the cause (a missing C++ runtime symbol version, or no backend package) and the fix.</exception>
    public static void EnsureAvailable()
    {
        if (Failure.Value is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// For the constructors of public modules: <c>base(LibTorch.Require(nameof(X)))</c> checks before TorchSharp's
    /// base constructor runs. Internal modules (BatchNormLayer, LeakyReLU) are only built inside those.
    /// </summary>
    internal static string Require(string moduleName)
    {
        EnsureAvailable();
        return moduleName;
    }

    private static LibTorchUnavailableException? Probe()
    {
        // typeof does not run torch's static constructor; only the assembly's location is read. The order is
        // TorchSharp's own: the backend's libtorch first (from the application's native assets, where a backend
        // package puts it), then TorchSharp's native library, whose references then resolve to the same files.
        try
        {
            _ = NativeLibrary.TryLoad("torch_cpu", typeof(Tensor).Assembly, null, out _);
            NativeLibrary.Load("LibTorchSharp", typeof(Tensor).Assembly, null);
            return LibTorchLocation.FindForeign() is (string loaded, string expected) ? LibTorchUnavailableException.Foreign(loaded, expected) : null;
        }
        catch (DllNotFoundException exception)
        {
            return LibTorchUnavailableException.From(exception);
        }
    }
}
