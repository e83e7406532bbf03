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

    /// <summary>Which TorchSharp form of each network is timed, or <see langword="null"/> when that is not a TorchSharp form (ONNX Runtime, a simulation).</summary>
    InferenceRuntime? Runtime => null;

    /// <summary>
    /// Whether costs are timed on the machine this process runs on, so that other processes busy here distort them (the
    /// fit then reports how busy they were: <c>FitResult.OtherProcessCores</c>). False for simulations and profiles.
    /// </summary>
    bool MeasuresThisMachine => false;

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

    /// <summary>
    /// Measures the two networks that decide a boundary once more, interleaved where the model can (A, B, B, A, …
    /// in one window) so that the machine's drift hits both alike. By default, remeasures each in turn.
    /// </summary>
    /// <param name="first">The smaller network (the one chosen so far).</param>
    /// <param name="second">The next larger network (the one whose failure decides).</param>
    /// <param name="batchSize">Images per inference call.</param>
    /// <param name="latencyBudgetMilliseconds">
    /// The latency limit the two are judged against, if any: a model that can keeps sampling (up to a cap) while
    /// either median's 90% interval still contains it.
    /// </param>
    /// <param name="cancellationToken">Stops the measurement.</param>
    /// <returns>Both costs.</returns>
    (CostMeasurement First, CostMeasurement Second) RemeasurePair(NetworkSpec first, NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken) =>
        (Remeasure(first, batchSize, cancellationToken), Remeasure(second, batchSize, cancellationToken));
}

/// <summary>The measured cost of one network.</summary>
public sealed record CostMeasurement
{
    /// <summary>Creates a measurement, for an <see cref="ICostModel"/> of your own: set its properties with an object initializer.</summary>
    public CostMeasurement()
    {
    }

    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    internal CostMeasurement(double latencyMilliseconds, double latencySpreadMilliseconds, long? peakMemoryBytes, LatencyMeasurement? details = null)
    {
        LatencyMilliseconds = latencyMilliseconds;
        LatencySpreadMilliseconds = latencySpreadMilliseconds;
        PeakMemoryBytes = peakMemoryBytes;
        Details = details;
    }

    /// <summary>Time of one inference call of the batch, in milliseconds (the median of the runs).</summary>
    public required double LatencyMilliseconds { get; init; }

    /// <summary>How much runs vary around that time (median absolute deviation), in milliseconds.</summary>
    public required double LatencySpreadMilliseconds { get; init; }

    /// <summary>Measured peak memory, or <see langword="null"/> where the device does not tell.</summary>
    public required long? PeakMemoryBytes { get; init; }

    /// <summary>Whether the latency was predicted (from a device profile) rather than measured.</summary>
    public bool IsPredicted { get; init; }

    /// <summary>
    /// How many distinct kernels of a predicted network lie outside the profile's grid and were extrapolated (the
    /// prediction is less sure: <c>LatencyPrediction.Extrapolated</c>); 0 for a measurement or a network inside the grid.
    /// </summary>
    public int ExtrapolatedKernels { get; init; }

    /// <summary>The raw runs, when a real device was measured.</summary>
    public LatencyMeasurement? Details { get; init; }
}
