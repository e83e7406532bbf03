using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// The EfficientNet paper's step 1: with φ = 1, grid-search depth, width and resolution factors
/// (α, β, γ) under the constraint α·β²·γ² ≈ 2 (each ≥ 1), score each network with a function you
/// supply — typically a short fine-tune on your data — and rank them.
/// </summary>
public static class CompoundCoefficientSearch
{
    /// <summary>Scores every coefficient triple on the grid that satisfies the constraint.</summary>
    /// <param name="score">Scores the network that α, β, γ give at φ = 1; higher is better. Called once per triple, in grid order.</param>
    /// <param name="step">Grid spacing of each factor (&gt; 0; default 0.05).</param>
    /// <param name="maxFactor">Largest value of each factor (≥ 1; default 2).</param>
    /// <param name="targetFlopsFactor">The target for α·β²·γ² (&gt; 1; default 2: each φ step doubles the FLOPs).</param>
    /// <param name="tolerance">How far α·β²·γ² may be from the target (≥ 0; default 0.1).</param>
    /// <param name="template">Options every candidate shares (classes, input channels, …); a plain builder when omitted.</param>
    /// <param name="progress">Receives each scored triple.</param>
    /// <param name="cancellationToken">Stops between triples.</param>
    /// <returns>Every scored triple, best first.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A grid setting is out of range.</exception>
    public static IReadOnlyList<CoefficientScore> Run(
        Func<CompoundCoefficients, NetworkSpec, double> score,
        double step = 0.05,
        double maxFactor = 2.0,
        double targetFlopsFactor = 2.0,
        double tolerance = 0.1,
        EfficientNetBuilder? template = null,
        IProgress<CoefficientScore>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(score);
        Guard.PositiveFinite(step, nameof(step));
        if (!double.IsFinite(maxFactor) || maxFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFactor), maxFactor, "maxFactor must be a finite number ≥ 1.");
        }

        if (!double.IsFinite(targetFlopsFactor) || targetFlopsFactor <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(targetFlopsFactor), targetFlopsFactor, "targetFlopsFactor must be a finite number > 1.");
        }

        if (!double.IsFinite(tolerance) || tolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be a finite number ≥ 0.");
        }

        EfficientNetBuilder builder = (template ?? new EfficientNetBuilder()).WithPhi(1);
        var results = new List<CoefficientScore>();
        foreach (CompoundCoefficients coefficients in Grid(step, maxFactor))
        {
            if (Math.Abs(coefficients.FlopsFactor - targetFlopsFactor) > tolerance)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            NetworkSpec spec = builder.WithCoefficients(coefficients).BuildSpec();
            var result = new CoefficientScore(coefficients, spec, score(coefficients, spec));
            progress?.Report(result);
            results.Add(result);
        }

        return [.. results.OrderByDescending(r => r.Score)];
    }

    private static IEnumerable<CompoundCoefficients> Grid(double step, double maxFactor)
    {
        // Integer steps avoid accumulating rounding error along the grid.
        int count = (int)Math.Floor(((maxFactor - 1) / step) + 1e-9);
        for (int a = 0; a <= count; a++)
        {
            for (int b = 0; b <= count; b++)
            {
                for (int g = 0; g <= count; g++)
                {
                    yield return new CompoundCoefficients(Math.Round(1 + (a * step), 10), Math.Round(1 + (b * step), 10), Math.Round(1 + (g * step), 10));
                }
            }
        }
    }
}

/// <summary>One scored coefficient triple of a <see cref="CompoundCoefficientSearch"/>.</summary>
public sealed record CoefficientScore
{
    internal CoefficientScore(CompoundCoefficients coefficients, NetworkSpec spec, double score)
    {
        Coefficients = coefficients;
        Spec = spec;
        Score = score;
    }

    /// <summary>α, β, γ.</summary>
    public CompoundCoefficients Coefficients { get; init; }

    /// <summary>The network they give at φ = 1.</summary>
    public NetworkSpec Spec { get; init; }

    /// <summary>The caller's score; higher is better.</summary>
    public double Score { get; init; }
}
