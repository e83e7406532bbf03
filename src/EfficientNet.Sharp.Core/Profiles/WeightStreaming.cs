namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// How a device reads weights its caches do not keep between runs. A kernel timed alone runs again and again with its
/// weights in the caches; a network whose weights outgrow them reads every weight from memory on every run, which
/// on small maps nothing hides: at 51 px here networks of 24–30 MB of weights ran at 1.31–1.75 times the sum of their
/// kernels alone, networks of 3–12 MB at 0.85–1.09 (docs/device-fit.md, "Weights streamed from memory"). Measured by
/// timing linear kernels (each reads all its weights once per run) of growing size: the largest that still reads at
/// most of the small ones' rate is the cache, the rate far beyond it the bandwidth.
/// </summary>
public sealed record WeightStreaming
{
    /// <summary>The most weight megabytes (10⁶ bytes) a run finds in the caches: a network with more reads them from memory.</summary>
    public required double CacheMegabytes { get; init; }

    /// <summary>The rate, in gigabytes (10⁹ bytes) per second, at which a kernel reads weights from memory.</summary>
    public required double GigabytesPerSecond { get; init; }

    /// <summary>Whether a network with this many bytes of weights reads them from memory on every run.</summary>
    internal bool Streams(double weightBytes) => weightBytes > CacheMegabytes * 1e6;

    /// <summary>The least time, in milliseconds, a kernel takes to read this many bytes of weights from memory.</summary>
    internal double Milliseconds(double weightBytes) => weightBytes / (GigabytesPerSecond * 1e6);
}
