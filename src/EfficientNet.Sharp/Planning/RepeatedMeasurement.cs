namespace EfficientNet.Sharp.Planning;

/// <summary>A network a fit measured twice (the boundary's recheck): its latency the first time and again.</summary>
/// <param name="Phi">The candidate's φ.</param>
/// <param name="Network">The candidate's name.</param>
/// <param name="FirstMilliseconds">The first measurement's latency.</param>
/// <param name="AgainMilliseconds">The latency measured again.</param>
internal sealed record RepeatedMeasurement(double Phi, string Network, double FirstMilliseconds, double AgainMilliseconds)
{
    /// <summary>The larger latency over the smaller: 1 when the machine ran at the same speed both times.</summary>
    public double Change => Math.Max(FirstMilliseconds, AgainMilliseconds) / Math.Min(FirstMilliseconds, AgainMilliseconds);
}
