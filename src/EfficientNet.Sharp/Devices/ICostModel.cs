using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Devices;

/// <summary>
/// Measures what running a network costs. <see cref="LatencyProfiler"/> measures on a real device;
/// tests and simulations can plan against any deterministic implementation.
/// </summary>
public interface ICostModel
{
    /// <summary>A short description of where costs come from, for reports (for example <c>cpu, 2 threads</c>).</summary>
    string Description { get; }

    /// <summary>Measures one network at its spec's resolution.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="batchSize">Images per inference call.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>The cost.</returns>
    CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Measures again in a fresh window, for a result that decides the boundary: a noisy machine can
    /// slow one measurement down. Returns the better of what is known; by default, measures once more.
    /// </summary>
    /// <param name="spec">The network.</param>
    /// <param name="batchSize">Images per inference call.</param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>The cost.</returns>
    CostMeasurement Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
        Measure(spec, batchSize, cancellationToken);
}

/// <summary>The measured cost of one network.</summary>
/// <param name="LatencyMilliseconds">Time of one inference call of the batch, in milliseconds (the median of the runs).</param>
/// <param name="LatencySpreadMilliseconds">How much runs vary around that time (median absolute deviation), in milliseconds.</param>
/// <param name="PeakMemoryBytes">Measured peak memory, or <see langword="null"/> where the device does not tell.</param>
/// <param name="Details">The raw runs, when a real device was measured.</param>
public sealed record CostMeasurement(
    double LatencyMilliseconds,
    double LatencySpreadMilliseconds,
    long? PeakMemoryBytes,
    LatencyMeasurement? Details = null);
