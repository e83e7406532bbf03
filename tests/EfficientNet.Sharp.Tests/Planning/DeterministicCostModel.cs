using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Planning;

/// <summary>A cost model without a device: latency grows with the multiply-accumulates, memory is the spec's estimate (or unknown).</summary>
internal sealed class DeterministicCostModel(Func<NetworkAnalysis, double> latencyMilliseconds, bool reportsMemory = true) : ICostModel
{
    public List<NetworkSpec> Measured { get; } = [];

    public string Description => "deterministic";

    /// <summary>20 ms per GMAC and image: B0 (0.386 GMACs) takes 7.7 ms.</summary>
    public static DeterministicCostModel ProportionalToMacs(bool reportsMemory = true) =>
        new(a => a.BatchSize * a.MultiplyAccumulates / 5e7, reportsMemory);

    public CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken)
    {
        Measured.Add(spec);
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec, batchSize: batchSize);
        return new CostMeasurement(latencyMilliseconds(analysis), 0, reportsMemory ? analysis.EstimatedInferencePeakBytes : null);
    }
}
