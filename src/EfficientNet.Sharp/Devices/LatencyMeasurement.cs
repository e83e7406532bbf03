namespace EfficientNet.Sharp.Devices;

/// <summary>Timed inference runs of one network on one device.</summary>
/// <param name="Device">Where it ran.</param>
/// <param name="BatchSize">Images per run.</param>
/// <param name="InputHeight">Input height in pixels.</param>
/// <param name="InputWidth">Input width in pixels.</param>
/// <param name="WarmupRuns">The least number of untimed runs before the timed ones (the profiler may warm up longer).</param>
/// <param name="SamplesMilliseconds">Wall-clock time of each timed run, in order.</param>
/// <param name="PeakMemoryBytes">
/// Peak memory of building the network and running it: on the CPU (Linux), how far the process's
/// resident memory rose above its level before the network was built — weights, activations and
/// libtorch's workspaces. <see langword="null"/> where it cannot be read (CUDA through TorchSharp
/// exposes no allocator statistics; other operating systems).
/// </param>
public sealed record LatencyMeasurement(
    ComputeDevice Device,
    int BatchSize,
    int InputHeight,
    int InputWidth,
    int WarmupRuns,
    IReadOnlyList<double> SamplesMilliseconds,
    long? PeakMemoryBytes)
{
    /// <summary>Median time of a run, in milliseconds: the latency used for budgets (robust to outliers).</summary>
    public double MedianMilliseconds => Percentile(0.5);

    /// <summary>Median absolute deviation of the runs from the median, in milliseconds: the spread.</summary>
    public double MedianAbsoluteDeviationMilliseconds
    {
        get
        {
            double median = MedianMilliseconds;
            double[] deviations = [.. SamplesMilliseconds.Select(s => Math.Abs(s - median)).Order()];
            return PercentileOf(deviations, 0.5);
        }
    }

    /// <summary>Fastest run, in milliseconds.</summary>
    public double MinimumMilliseconds => SamplesMilliseconds.Min();

    /// <summary>Slowest run, in milliseconds.</summary>
    public double MaximumMilliseconds => SamplesMilliseconds.Max();

    /// <summary>Images per second at the median latency.</summary>
    public double ImagesPerSecond => BatchSize * 1000.0 / MedianMilliseconds;

    /// <summary>The <paramref name="fraction"/> quantile of the samples (linear interpolation), in milliseconds.</summary>
    /// <param name="fraction">In [0, 1].</param>
    /// <returns>The quantile.</returns>
    public double Percentile(double fraction) => PercentileOf([.. SamplesMilliseconds.Order()], fraction);

    private static double PercentileOf(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = Math.Clamp(fraction, 0, 1) * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}
