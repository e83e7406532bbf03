using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Planning;

/// <summary>One network the planner looked at: its size from the spec, and its cost where it was measured.</summary>
public sealed record FitCandidate
{
    internal FitCandidate(double phi, NetworkSpec spec, NetworkAnalysis analysis, CostMeasurement? measurement, double? predictedLatencyMilliseconds, IReadOnlyList<string> violations)
    {
        Phi = phi;
        Spec = spec;
        Analysis = analysis;
        Measurement = measurement;
        PredictedLatencyMilliseconds = predictedLatencyMilliseconds;
        Violations = violations;
    }

    /// <summary>Its coordinate in the family.</summary>
    public double Phi { get; init; }

    /// <summary>The network.</summary>
    public NetworkSpec Spec { get; init; }

    /// <summary>Parameters, multiply-accumulates and estimated memory, at the budget's batch size.</summary>
    public NetworkAnalysis Analysis { get; init; }

    /// <summary>The measured cost, or <see langword="null"/> when it was decided from the spec alone.</summary>
    public CostMeasurement? Measurement { get; init; }

    /// <summary>The fitted cost curve's latency at <see cref="Phi"/>, when one was fitted.</summary>
    public double? PredictedLatencyMilliseconds { get; init; }

    /// <summary>The budget limits this network breaks; empty when it fits.</summary>
    public IReadOnlyList<string> Violations { get; init; }

    /// <summary>Whether every budget limit holds.</summary>
    public bool MeetsBudget => Violations.Count == 0;

    /// <summary>Whether its cost was measured on the device.</summary>
    public bool WasMeasured => Measurement is not null;

    /// <summary>Peak memory used for the budget: measured when the device tells, otherwise estimated from the spec.</summary>
    public long PeakMemoryBytes => Measurement?.PeakMemoryBytes ?? Analysis.EstimatedInferencePeakBytes;

    /// <summary>Whether <see cref="PeakMemoryBytes"/> was measured rather than estimated.</summary>
    public bool PeakMemoryWasMeasured => Measurement?.PeakMemoryBytes is not null;
}
