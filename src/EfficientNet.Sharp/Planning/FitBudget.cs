using System.Globalization;

namespace EfficientNet.Sharp.Planning;

/// <summary>What a network may cost. Every limit that is set must hold; at least one must be set.</summary>
public sealed record FitBudget
{
    /// <summary>Creates the <see cref="FitBudget"/> from each of its values.</summary>
    /// <param name="LatencyMilliseconds">Most time for one inference call of a batch, in milliseconds (measured median).</param>
    /// <param name="BatchSize">Images per inference call, for latency and memory.</param>
    /// <param name="MaxParameters">Most learnable parameters.</param>
    /// <param name="MaxMultiplyAccumulates">Most multiply-accumulates per image.</param>
    /// <param name="MaxPeakMemoryBytes">Most peak memory while running a batch, in bytes (measured where the device tells, else estimated from the spec).</param>
    public FitBudget(double? LatencyMilliseconds, int BatchSize, long? MaxParameters, long? MaxMultiplyAccumulates, long? MaxPeakMemoryBytes)
    {
        this.LatencyMilliseconds = LatencyMilliseconds;
        this.BatchSize = BatchSize;
        this.MaxParameters = MaxParameters;
        this.MaxMultiplyAccumulates = MaxMultiplyAccumulates;
        this.MaxPeakMemoryBytes = MaxPeakMemoryBytes;
    }

    /// <summary>Most time for one inference call of a batch, in milliseconds (measured median).</summary>
    public double? LatencyMilliseconds { get; init; }

    /// <summary>Images per inference call, for latency and memory.</summary>
    public int BatchSize { get; init; }

    /// <summary>Most learnable parameters.</summary>
    public long? MaxParameters { get; init; }

    /// <summary>Most multiply-accumulates per image.</summary>
    public long? MaxMultiplyAccumulates { get; init; }

    /// <summary>Most peak memory while running a batch, in bytes (measured where the device tells, else estimated from the spec).</summary>
    public long? MaxPeakMemoryBytes { get; init; }

    /// <summary>Whether meeting the budget needs a measurement on the device (latency or memory).</summary>
    public bool NeedsMeasurement => LatencyMilliseconds is not null || MaxPeakMemoryBytes is not null;

    /// <inheritdoc />
    public override string ToString()
    {
        var limits = new List<string>();
        if (LatencyMilliseconds is double latency)
        {
            limits.Add($"latency ≤ {latency.ToString("0.###", CultureInfo.InvariantCulture)} ms at batch {BatchSize}");
        }

        if (MaxParameters is long parameters)
        {
            limits.Add($"parameters ≤ {parameters.ToString("N0", CultureInfo.InvariantCulture)}");
        }

        if (MaxMultiplyAccumulates is long macs)
        {
            limits.Add($"multiply-accumulates ≤ {(macs / 1e9).ToString("0.###", CultureInfo.InvariantCulture)} G per image");
        }

        if (MaxPeakMemoryBytes is long memory)
        {
            limits.Add($"peak memory ≤ {(memory / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture)} MiB at batch {BatchSize}");
        }

        return string.Join(", ", limits);
    }
}
