using TorchSharp;

namespace EfficientNet.Sharp;

/// <summary>The constant <see cref="Scalar"/>s the library hands to TorchSharp, each alive for the whole process.</summary>
/// <remarks>
/// TorchSharp 0.107 reads a Scalar's native handle and passes the pointer to libtorch without keeping the
/// managed object alive. The temporary made by an implicit conversion (<c>t.div_(255f)</c>, or the hidden
/// <c>alpha = 1</c> inside <c>t.add_(u)</c>) can therefore be finalized while libtorch still reads it: a
/// use-after-free that crashed inference under garbage-collection pressure and could silently change a
/// constant (docs/torchsharp-scalars.md). Constants live here; a value known only at run time lives in a
/// <c>using Scalar</c> local, which stays reachable until the call has returned. The test
/// <c>ScalarLifetimeTests</c> scans the compiled library for any other use.
/// </remarks>
internal static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar();

    public static readonly Scalar One = 1.ToScalar();

    public static readonly Scalar Six = 6.ToScalar();

    /// <summary>The largest 8-bit intensity, 255: image bytes are scaled to [0, 1] by it.</summary>
    public static readonly Scalar ByteMaximum = 255f.ToScalar();
}
