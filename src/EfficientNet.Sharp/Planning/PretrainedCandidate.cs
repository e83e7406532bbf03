using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Planning;

/// <summary>One trained network considered by <see cref="DeviceFit.FitPretrained"/>, at its own evaluation size.</summary>
public sealed record PretrainedCandidate
{
    internal PretrainedCandidate(CheckpointCandidate checkpoint, NetworkAnalysis analysis, CostMeasurement? measurement, IReadOnlyList<string> violations)
    {
        Checkpoint = checkpoint;
        Analysis = analysis;
        Measurement = measurement;
        Violations = violations;
    }

    /// <summary>The trained network considered.</summary>
    public CheckpointCandidate Checkpoint { get; init; }

    /// <summary>How the report names it.</summary>
    public string Name => Checkpoint.Name;

    /// <summary>The catalog entry, when it is one.</summary>
    public PretrainedWeights? Weights => Checkpoint.Weights;

    /// <summary>Its architecture at the input size it runs at.</summary>
    public NetworkSpec Spec => Checkpoint.Spec;

    /// <summary>Parameters, multiply-accumulates and estimated memory from the spec.</summary>
    public NetworkAnalysis Analysis { get; init; }

    /// <summary>The measurement, or <see langword="null"/> when a spec limit already ruled it out (or nothing is measured).</summary>
    public CostMeasurement? Measurement { get; init; }

    /// <summary>Each limit it breaks; empty when it fits.</summary>
    public IReadOnlyList<string> Violations { get; init; }

    /// <summary>Whether it meets every limit.</summary>
    public bool Fits => Violations.Count == 0;

    /// <summary>Published ImageNet top-1 accuracy in percent.</summary>
    public double Top1Accuracy => Checkpoint.Top1Accuracy;
}
