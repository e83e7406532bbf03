using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Planning;

/// <summary>One published checkpoint considered by <see cref="DeviceFit.FitPretrained"/>, at its own evaluation size.</summary>
public sealed record PretrainedCandidate
{
    internal PretrainedCandidate(PretrainedWeights weights, NetworkSpec spec, NetworkAnalysis analysis, CostMeasurement? measurement, IReadOnlyList<string> violations)
    {
        Weights = weights;
        Spec = spec;
        Analysis = analysis;
        Measurement = measurement;
        Violations = violations;
    }

    /// <summary>The checkpoint.</summary>
    public PretrainedWeights Weights { get; init; }

    /// <summary>Its architecture at the crop size its transform feeds it.</summary>
    public NetworkSpec Spec { get; init; }

    /// <summary>Parameters, multiply-accumulates and estimated memory from the spec.</summary>
    public NetworkAnalysis Analysis { get; init; }

    /// <summary>The measurement, or <see langword="null"/> when a spec limit already ruled it out (or nothing is measured).</summary>
    public CostMeasurement? Measurement { get; init; }

    /// <summary>Each limit it breaks; empty when it fits.</summary>
    public IReadOnlyList<string> Violations { get; init; }

    /// <summary>Whether it meets every limit.</summary>
    public bool Fits => Violations.Count == 0;

    /// <summary>Published ImageNet top-1 accuracy in percent.</summary>
    public double Top1Accuracy => Weights.Top1Accuracy ?? 0;
}
