namespace EfficientNet.Sharp.Devices;

/// <summary>Timed inference runs of one network on one device.</summary>
public sealed record LatencyMeasurement
{
    internal LatencyMeasurement(ComputeDevice device, int batchSize, int inputHeight, int inputWidth, int warmupRuns, IReadOnlyList<double> samplesMilliseconds, long? peakMemoryBytes)
    {
        Device = device;
        BatchSize = batchSize;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        WarmupRuns = warmupRuns;
        SamplesMilliseconds = samplesMilliseconds;
        PeakMemoryBytes = peakMemoryBytes;
    }

    /// <summary>Where it ran.</summary>
    public ComputeDevice Device { get; init; }

    /// <summary>Images per run.</summary>
    public int BatchSize { get; init; }

    /// <summary>Input height in pixels.</summary>
    public int InputHeight { get; init; }

    /// <summary>Input width in pixels.</summary>
    public int InputWidth { get; init; }

    /// <summary>The least number of untimed runs before the timed ones (the profiler may warm up longer).</summary>
    public int WarmupRuns { get; init; }

    /// <summary>Wall-clock time of each timed run, in order.</summary>
    public IReadOnlyList<double> SamplesMilliseconds { get; init; }

    /// <summary>Peak memory of building the network and running it: on the CPU (Linux), how far the process's resident memory rose above its level before the network was built — weights, activations and libtorch's workspaces. <see langword="null"/> where it cannot be read (CUDA through TorchSharp exposes no allocator statistics; other operating systems).</summary>
    public long? PeakMemoryBytes { get; init; }

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

    /// <summary>
    /// A distribution-free interval that holds the true median with at least 90% confidence: the order statistics
    /// x(k) and x(n − k + 1) with the largest k for which a Binomial(n, ½) count below k has probability ≤ 5%. It
    /// needs no assumption about the shape of the timing distribution. With fewer than 5 samples no such k
    /// exists and the interval is the whole sample range.
    /// </summary>
    public (double Lower, double Upper) MedianInterval90 => MedianInterval90Of(SamplesMilliseconds);

    /// <summary>The interval of <see cref="MedianInterval90"/> for any samples (at least one).</summary>
    internal static (double Lower, double Upper) MedianInterval90Of(IEnumerable<double> samples)
    {
        double[] sorted = [.. samples.Order()];
        int k = MedianIntervalRank(sorted.Length, 0.05);
        return k == 0 ? (sorted[0], sorted[^1]) : (sorted[k - 1], sorted[^k]);
    }

    /// <summary>The largest k ≥ 1 with P(Binomial(n, ½) ≤ k − 1) ≤ <paramref name="tail"/>, or 0 when even k = 1 exceeds it.</summary>
    internal static int MedianIntervalRank(int n, double tail)
    {
        double probability = Math.Pow(0.5, n);
        double cumulative = 0;
        int k = 0;
        for (int below = 0; below < n / 2; below++)
        {
            // cumulative = P(count ≤ below); the binomial coefficient grows by (n − below) / (below + 1).
            cumulative += probability;
            if (cumulative > tail)
            {
                break;
            }

            k = below + 1;
            probability *= (n - below) / (double)(below + 1);
        }

        return k;
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
