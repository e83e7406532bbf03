namespace EfficientNet.Sharp.Profiles;

/// <summary>A network's predicted latency on a profiled device, with where the time goes.</summary>
public sealed record LatencyPrediction
{
    /// <summary>Predicted time of one batch-1 inference, in milliseconds.</summary>
    public double Milliseconds => Kernels.Sum(kernel => kernel.Milliseconds);

    /// <summary>Every kernel the network runs, in order, with its prediction.</summary>
    public required IReadOnlyList<KernelPrediction> Kernels { get; init; }

    /// <summary>The prediction per part of the network (<c>runtime</c>, <c>stem</c>, <c>stage 1</c> …, <c>head</c>, <c>classifier</c>), in milliseconds, in order.</summary>
    public IReadOnlyList<(string Part, double Milliseconds)> Parts =>
        [.. Kernels.GroupBy(kernel => kernel.Part).Select(part => (part.Key, part.Sum(kernel => kernel.Milliseconds)))];

    /// <summary>The distinct kernels whose sizes lie outside the measured grid: the prediction is less sure there.</summary>
    public IReadOnlyList<KernelShape> Extrapolated => [.. Kernels.Where(kernel => kernel.Extrapolated).Select(kernel => kernel.Shape).Distinct()];

    /// <summary>What the prediction is known to miss for this network, one sentence each (empty when nothing is known).</summary>
    public IReadOnlyList<string> Caveats { get; init; } = [];

    /// <summary>The device the prediction is for.</summary>
    public required DeviceFacts Device { get; init; }
}
