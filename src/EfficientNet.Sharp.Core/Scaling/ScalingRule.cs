namespace EfficientNet.Sharp.Scaling;

/// <summary>Where a scaled network's width, depth and resolution came from.</summary>
public enum ScalingRule
{
    /// <summary>Not scaled: the family's baseline (or a width multiplier only, for MobileNets).</summary>
    Baseline,

    /// <summary>An integer φ in 0…7: the published B0–B7 ladder, exactly.</summary>
    PublishedLadder,

    /// <summary>A fractional φ in (0, 7): geometric interpolation between the two neighbouring ladder rungs.</summary>
    InterpolatedLadder,

    /// <summary>φ &lt; 0 or φ &gt; 7: the compound formula with the paper's α, β, γ, continued from B0 or B7.</summary>
    CompoundExtrapolation,

    /// <summary>User-given α, β, γ: pure compound scaling d = α^φ, w = β^φ, r = γ^φ from B0.</summary>
    CompoundCoefficients,
}
