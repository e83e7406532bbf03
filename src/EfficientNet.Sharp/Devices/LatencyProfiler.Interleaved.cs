using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Devices;

/// <summary>Two networks timed alternately in one window, for the comparison that decides a fit's boundary.</summary>
public sealed partial class LatencyProfiler
{
    /// <summary>
    /// Measures two networks interleaved in one window: both are built and warmed up, then timed alternately
    /// (A, B, B, A, A, B, …, so that neither always runs first) for <see cref="TimedRuns"/> rounds. A slowdown of the
    /// machine during the window hits both alike, so their comparison and their position against a budget are
    /// fair. With <paramref name="decideAgainstMilliseconds"/>, rounds continue (up to three times as many) while
    /// either median's 90% interval (<see cref="LatencyMeasurement.MedianInterval90"/>) still contains that limit, so
    /// a verdict near the budget rests on enough samples. The results replace both cache entries; peak memory is
    /// kept from each network's own measurement (a shared window cannot separate it).
    /// </summary>
    /// <param name="first">One network.</param>
    /// <param name="second">The other.</param>
    /// <param name="batchSize">Images per run (≥ 1).</param>
    /// <param name="decideAgainstMilliseconds">A latency limit to sample on against, or <see langword="null"/> for exactly <see cref="TimedRuns"/> rounds.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>Both measurements.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public (LatencyMeasurement First, LatencyMeasurement Second) MeasureInterleaved(NetworkSpec first, NetworkSpec second, int batchSize, double? decideAgainstMilliseconds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        (List<double> a, List<double> b) = TimeInterleaved(
            () => new ModuleRunner(this, first, batchSize),
            () => new ModuleRunner(this, second, batchSize),
            decideAgainstMilliseconds,
            cancellationToken);
        return (Store(first, batchSize, a), Store(second, batchSize, b));
    }

    /// <summary>
    /// Times two runners of any runtime interleaved, with <see cref="MeasureInterleaved"/>'s policy (warm-up, A, B, B, A,
    /// …, sampling on while <paramref name="decideAgainstMilliseconds"/> lies inside a median's 90% interval). Not cached.
    /// </summary>
    /// <param name="first">The first network, for the record (its resolution).</param>
    /// <param name="createFirst">Loads the first network in some runtime; called inside the window.</param>
    /// <param name="second">The second network, for the record.</param>
    /// <param name="createSecond">Loads the second.</param>
    /// <param name="batchSize">Images per run, for the record.</param>
    /// <param name="decideAgainstMilliseconds">A latency limit to sample on against, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops between runs.</param>
    /// <returns>Both measurements (without peak memory: a shared window cannot separate it).</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    internal (LatencyMeasurement First, LatencyMeasurement Second) MeasureRunnersInterleaved(
        NetworkSpec first,
        Func<IInferenceRunner> createFirst,
        NetworkSpec second,
        Func<IInferenceRunner> createSecond,
        int batchSize,
        double? decideAgainstMilliseconds = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(createFirst);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(createSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        (List<double> a, List<double> b) = TimeInterleaved(createFirst, createSecond, decideAgainstMilliseconds, cancellationToken);
        return (new LatencyMeasurement(Device, batchSize, first.Resolution, first.Resolution, WarmupRuns, a, null),
                new LatencyMeasurement(Device, batchSize, second.Resolution, second.Resolution, WarmupRuns, b, null));
    }

    /// <summary>The interleaving policy itself, one measurement at a time like every other.</summary>
    private (List<double> First, List<double> Second) TimeInterleaved(Func<IInferenceRunner> createFirst, Func<IInferenceRunner> createSecond, double? decideAgainstMilliseconds, CancellationToken cancellationToken)
    {
        lock (MeasurementLock)
        {
            using var threads = UseThreads();
            using IInferenceRunner one = createFirst();
            using IInferenceRunner other = createSecond();
            for (int run = 0; run < Math.Max(WarmupRuns, 1); run++)
            {
                RunOnce(one.Run, cancellationToken);
                RunOnce(other.Run, cancellationToken);
            }

            var a = new List<double>(TimedRuns);
            var b = new List<double>(TimedRuns);
            for (int round = 0; round < TimedRuns || (round < MaxInterleavedRoundsFactor * TimedRuns && Undecided(a, b, decideAgainstMilliseconds)); round++)
            {
                if (round % 2 == 0)
                {
                    a.Add(RunOnce(one.Run, cancellationToken));
                    b.Add(RunOnce(other.Run, cancellationToken));
                }
                else
                {
                    b.Add(RunOnce(other.Run, cancellationToken));
                    a.Add(RunOnce(one.Run, cancellationToken));
                }
            }

            return (a, b);
        }
    }

    /// <summary>How many times <see cref="TimedRuns"/> an undecided interleaved measurement may run.</summary>
    private const int MaxInterleavedRoundsFactor = 3;

    /// <summary>Whether the limit still lies inside either median's 90% interval.</summary>
    internal static bool Undecided(List<double> a, List<double> b, double? limit) =>
        limit is double budget && (Contains(a, budget) || Contains(b, budget));

    private static bool Contains(List<double> samples, double value) =>
        LatencyMeasurement.MedianInterval90Of(samples) is var (lower, upper) && lower <= value && value <= upper;

    /// <summary>Keeps an interleaved measurement, with the peak memory of the network's own earlier measurement.</summary>
    private LatencyMeasurement Store(NetworkSpec spec, int batchSize, List<double> samples)
    {
        var key = (spec with { Name = "-", Scaling = null }, batchSize);
        long? peak = cache.TryGetValue(key, out LatencyMeasurement? old) ? old.PeakMemoryBytes : null;
        var measurement = new LatencyMeasurement(Device, batchSize, spec.Resolution, spec.Resolution, WarmupRuns, samples, peak);
        cache[key] = measurement;
        return measurement;
    }

    /// <inheritdoc />
    (CostMeasurement First, CostMeasurement Second) ICostModel.RemeasurePair(NetworkSpec first, NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken)
    {
        (LatencyMeasurement a, LatencyMeasurement b) = MeasureInterleaved(first, second, batchSize, latencyBudgetMilliseconds, cancellationToken);
        return (ToCost(a), ToCost(b));
    }
}
