using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.OnnxRuntime;

public sealed partial class DeviceProfiler
{
    /// <summary>The weight sizes, in megabytes, the weight-streaming probe times linear kernels at: past any cache of today's CPUs at the top.</summary>
    internal static readonly int[] WeightProbeMegabytes = [1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96];

    /// <summary>A size reads weights from the caches while it reads them at least this share of the small sizes' rate.</summary>
    private const double CachedShare = 0.75;

    /// <summary>The least time a probed reading is taken at, in milliseconds, should the overhead's window have been slower than a kernel's.</summary>
    private const double MinimumReading = 1e-4;

    /// <summary>The weight-streaming probe alone (<see cref="MeasureWeightStreaming(Steps, CancellationToken)"/>), as a profile runs it.</summary>
    internal WeightStreaming? MeasureWeightStreaming(CancellationToken cancellationToken) => MeasureWeightStreaming(new Steps(null), cancellationToken);

    /// <summary>
    /// How this device reads weights its caches do not keep (<see cref="WeightStreaming"/>): linear kernels of 1 to 96 MB
    /// of weights (each reads all its weights once per run, and a run of one cyclic pass over more than the caches hold
    /// finds none of them there), timed in two passes in opposite orders, the fastest kept, less the run overhead (as every
    /// kernel of a profile is: on the smallest sizes it is a fifth of the time). The cache is the largest size
    /// up to which every size reads at least 3/4 of the rate of those up to 4 MB; the bandwidth is the median rate of
    /// the sizes from four times the cache up (the largest size's alone when none is). Here: about 80 GB/s up to 12 MB,
    /// 70 at 16, 40 at 24 and 23 from 64 MB up, so 16 MB and 20–27 GB/s (docs/device-fit.md, "Weights streamed from
    /// memory"). Null for an int8 profile, whose weights and kernels this was not checked on.
    /// </summary>
    private WeightStreaming? MeasureWeightStreaming(Steps steps, CancellationToken cancellationToken)
    {
        if (Int8)
        {
            return null;
        }

        KernelShape[] kernels = [.. WeightProbeMegabytes.Select(megabytes =>
        {
            int features = (int)Math.Round(Math.Sqrt(megabytes * 1e6 / sizeof(float)));
            return new KernelShape(KernelKind.Linear, features, features, 1, 1, 1, "");
        })];
        var fastest = new double[kernels.Length];
        Array.Fill(fastest, double.MaxValue);
        steps.Remaining += (2 * kernels.Length) + 1;
        steps.Report("run overhead");
        double overhead = TimeRunOverhead().Median;
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (int k in pass == 0 ? Enumerable.Range(0, kernels.Length) : Enumerable.Range(0, kernels.Length).Reverse())
            {
                cancellationToken.ThrowIfCancellationRequested();
                steps.Report($"weight streaming {WeightProbeMegabytes[k]} MB");
                fastest[k] = Math.Min(fastest[k], Time(kernels[k], RunMilliseconds).Median);
            }
        }

        double[] rates = [.. kernels.Select((kernel, k) => kernel.Weights * sizeof(float) / 1e6 / Math.Max(fastest[k] - overhead, MinimumReading))]; // GB/s: MB per ms
        return WeightStreamingOf(rates);
    }

    /// <summary>The cache and bandwidth that rates measured at <see cref="WeightProbeMegabytes"/> give (<see cref="MeasureWeightStreaming(Steps, CancellationToken)"/>).</summary>
    internal static WeightStreaming WeightStreamingOf(IReadOnlyList<double> gigabytesPerSecond)
    {
        int[] sizes = WeightProbeMegabytes;
        double cached = Median([.. sizes.Select((size, k) => (size, k)).Where(pair => pair.size <= 4).Select(pair => gigabytesPerSecond[pair.k])]);
        int within = sizes.Select((_, k) => k).TakeWhile(k => gigabytesPerSecond[k] >= CachedShare * cached).DefaultIfEmpty(0).Last();
        double cache = sizes[within];
        List<double> beyond = [.. sizes.Select((size, k) => (size, k)).Where(pair => pair.size >= 4 * cache).Select(pair => gigabytesPerSecond[pair.k])];
        return new WeightStreaming { CacheMegabytes = cache, GigabytesPerSecond = beyond.Count > 0 ? Median(beyond) : gigabytesPerSecond[^1] };
    }
}
