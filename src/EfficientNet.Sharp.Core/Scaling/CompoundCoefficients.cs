namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// The per-step growth factors of compound scaling: depth d = α^φ, width w = β^φ, resolution r = γ^φ.
/// The paper constrains α·β²·γ² ≈ 2 so that each step of φ roughly doubles the FLOPs.
/// </summary>
public sealed record CompoundCoefficients
{
    /// <summary>Creates the <see cref="CompoundCoefficients"/> from each of its values.</summary>
    /// <param name="Alpha">Depth factor α (≥ 1).</param>
    /// <param name="Beta">Width factor β (≥ 1).</param>
    /// <param name="Gamma">Resolution factor γ (≥ 1).</param>
    public CompoundCoefficients(double Alpha, double Beta, double Gamma)
    {
        this.Alpha = Alpha;
        this.Beta = Beta;
        this.Gamma = Gamma;
    }

    /// <summary>Depth factor α (≥ 1).</summary>
    public double Alpha { get; init; }

    /// <summary>Width factor β (≥ 1).</summary>
    public double Beta { get; init; }

    /// <summary>Resolution factor γ (≥ 1).</summary>
    public double Gamma { get; init; }

    /// <summary>The paper's grid-searched values: α = 1.2, β = 1.1, γ = 1.15 (α·β²·γ² = 1.9203).</summary>
    public static CompoundCoefficients Paper { get; } = new(1.2, 1.1, 1.15);

    /// <summary>α·β²·γ²: how much the multiply-accumulates grow per unit of φ.</summary>
    public double FlopsFactor => Alpha * Beta * Beta * Gamma * Gamma;

    /// <summary>Depth multiplier α^φ.</summary>
    /// <param name="phi">The compound coefficient.</param>
    /// <returns>The depth multiplier.</returns>
    public double Depth(double phi) => Math.Pow(Alpha, phi);

    /// <summary>Width multiplier β^φ.</summary>
    /// <param name="phi">The compound coefficient.</param>
    /// <returns>The width multiplier.</returns>
    public double Width(double phi) => Math.Pow(Beta, phi);

    /// <summary>Resolution multiplier γ^φ.</summary>
    /// <param name="phi">The compound coefficient.</param>
    /// <returns>The resolution multiplier.</returns>
    public double Resolution(double phi) => Math.Pow(Gamma, phi);

    /// <summary>Throws unless every factor is finite and at least 1, naming the offending argument.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A factor is NaN, infinite or below 1.</exception>
    internal void Validate()
    {
        Check(Alpha, "alpha");
        Check(Beta, "beta");
        Check(Gamma, "gamma");

        static void Check(double value, string name)
        {
            if (!double.IsFinite(value) || value < 1)
            {
                throw new ArgumentOutOfRangeException(name, value, $"The compound coefficient {name} must be a finite number ≥ 1.");
            }
        }
    }
}
