namespace EfficientNet.Sharp.Scaling;

/// <summary>How a network was scaled from its family's baseline.</summary>
/// <param name="Rule">Which rule produced the multipliers.</param>
/// <param name="Phi">The compound coefficient φ, when the network was scaled by φ.</param>
/// <param name="WidthMultiplier">Channel multiplier w applied to the baseline's channels before rounding.</param>
/// <param name="DepthMultiplier">Repeat multiplier d applied to the baseline's repeats before rounding up.</param>
/// <param name="ResolutionMultiplier">Input-size multiplier r relative to the baseline's resolution, before rounding to pixels.</param>
/// <param name="Coefficients">α, β, γ when the compound formula was used; otherwise <see langword="null"/>.</param>
public sealed record ScalingSpec(
    ScalingRule Rule,
    double? Phi,
    double WidthMultiplier,
    double DepthMultiplier,
    double ResolutionMultiplier,
    CompoundCoefficients? Coefficients)
{
    /// <summary>α·β²·γ² of the coefficients used, or <see langword="null"/> when no compound formula was involved.</summary>
    public double? CoefficientFlopsFactor => Coefficients?.FlopsFactor;
}
