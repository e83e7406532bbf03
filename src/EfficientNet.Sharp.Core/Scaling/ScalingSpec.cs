namespace EfficientNet.Sharp.Scaling;

/// <summary>How a network was scaled from its family's baseline.</summary>
public sealed record ScalingSpec
{
    /// <summary>Creates the <see cref="ScalingSpec"/> from each of its values.</summary>
    /// <param name="Rule">Which rule produced the multipliers.</param>
    /// <param name="Phi">The compound coefficient φ, when the network was scaled by φ.</param>
    /// <param name="WidthMultiplier">Channel multiplier w applied to the baseline's channels before rounding.</param>
    /// <param name="DepthMultiplier">Repeat multiplier d applied to the baseline's repeats before rounding up.</param>
    /// <param name="ResolutionMultiplier">Input-size multiplier r relative to the baseline's resolution, before rounding to pixels.</param>
    /// <param name="Coefficients">α, β, γ when the compound formula was used; otherwise <see langword="null"/>.</param>
    public ScalingSpec(ScalingRule Rule, double? Phi, double WidthMultiplier, double DepthMultiplier, double ResolutionMultiplier, CompoundCoefficients? Coefficients)
    {
        this.Rule = Rule;
        this.Phi = Phi;
        this.WidthMultiplier = WidthMultiplier;
        this.DepthMultiplier = DepthMultiplier;
        this.ResolutionMultiplier = ResolutionMultiplier;
        this.Coefficients = Coefficients;
    }

    /// <summary>Which rule produced the multipliers.</summary>
    public ScalingRule Rule { get; init; }

    /// <summary>The compound coefficient φ, when the network was scaled by φ.</summary>
    public double? Phi { get; init; }

    /// <summary>Channel multiplier w applied to the baseline's channels before rounding.</summary>
    public double WidthMultiplier { get; init; }

    /// <summary>Repeat multiplier d applied to the baseline's repeats before rounding up.</summary>
    public double DepthMultiplier { get; init; }

    /// <summary>Input-size multiplier r relative to the baseline's resolution, before rounding to pixels.</summary>
    public double ResolutionMultiplier { get; init; }

    /// <summary>α, β, γ when the compound formula was used; otherwise <see langword="null"/>.</summary>
    public CompoundCoefficients? Coefficients { get; init; }

    /// <summary>α·β²·γ² of the coefficients used, or <see langword="null"/> when no compound formula was involved.</summary>
    public double? CoefficientFlopsFactor => Coefficients?.FlopsFactor;
}
