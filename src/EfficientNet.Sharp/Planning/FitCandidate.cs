using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Planning;

/// <summary>One network the planner looked at: its size from the spec, and its cost where it was measured.</summary>
/// <param name="Phi">Its coordinate in the family.</param>
/// <param name="Spec">The network.</param>
/// <param name="Analysis">Parameters, multiply-accumulates and estimated memory, at the budget's batch size.</param>
/// <param name="Measurement">The measured cost, or <see langword="null"/> when it was decided from the spec alone.</param>
/// <param name="PredictedLatencyMilliseconds">The fitted cost curve's latency at <paramref name="Phi"/>, when one was fitted.</param>
/// <param name="Violations">The budget limits this network breaks; empty when it fits.</param>
public sealed record FitCandidate(
    double Phi,
    NetworkSpec Spec,
    NetworkAnalysis Analysis,
    CostMeasurement? Measurement,
    double? PredictedLatencyMilliseconds,
    IReadOnlyList<string> Violations)
{
    /// <summary>Whether every budget limit holds.</summary>
    public bool MeetsBudget => Violations.Count == 0;

    /// <summary>Whether its cost was measured on the device.</summary>
    public bool WasMeasured => Measurement is not null;

    /// <summary>Peak memory used for the budget: measured when the device tells, otherwise estimated from the spec.</summary>
    public long PeakMemoryBytes => Measurement?.PeakMemoryBytes ?? Analysis.EstimatedInferencePeakBytes;

    /// <summary>Whether <see cref="PeakMemoryBytes"/> was measured rather than estimated.</summary>
    public bool PeakMemoryWasMeasured => Measurement?.PeakMemoryBytes is not null;
}
