namespace EfficientNet.Sharp.Planning;

/// <summary>
/// A smooth fit of a cost that grows roughly exponentially in φ: log(cost) = a + b·φ + c·φ², by least
/// squares (c = 0 with fewer than four points, a constant with one).
/// </summary>
internal sealed class CostCurve
{
    private readonly double[] coefficients;

    private CostCurve(double[] coefficients, int points)
    {
        this.coefficients = coefficients;
        PointCount = points;
    }

    /// <summary>How many measurements the curve was fitted to.</summary>
    public int PointCount { get; }

    /// <summary>a, b and c of log(cost) = a + b·φ + c·φ².</summary>
    public IReadOnlyList<double> Coefficients => coefficients;

    /// <summary>Fits the curve.</summary>
    /// <param name="points">(φ, cost) pairs with positive costs; at least one.</param>
    /// <returns>The fitted curve.</returns>
    /// <exception cref="ArgumentException">No points, or a cost that is not positive.</exception>
    public static CostCurve Fit(IReadOnlyList<(double Phi, double Cost)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0 || points.Any(p => !(p.Cost > 0) || !double.IsFinite(p.Phi)))
        {
            throw new ArgumentException("A cost curve needs at least one point, with finite φ and a positive cost.", nameof(points));
        }

        int degree = points.Count >= 4 ? 2 : Math.Min(1, points.Count - 1);
        double[] solution = LeastSquares(points.Select(p => p.Phi).ToArray(), points.Select(p => Math.Log(p.Cost)).ToArray(), degree);
        return new CostCurve([.. solution, .. new double[3 - solution.Length]], points.Count);
    }

    /// <summary>The fitted cost at φ.</summary>
    /// <param name="phi">Where to predict.</param>
    /// <returns>The predicted cost (same unit as the fitted costs).</returns>
    public double Predict(double phi) => Math.Exp(coefficients[0] + (coefficients[1] * phi) + (coefficients[2] * phi * phi));

    /// <summary>Solves the normal equations of a polynomial fit by Gaussian elimination with partial pivoting.</summary>
    private static double[] LeastSquares(double[] x, double[] y, int degree)
    {
        int n = degree + 1;
        var matrix = new double[n, n + 1];
        for (int i = 0; i < x.Length; i++)
        {
            for (int row = 0; row < n; row++)
            {
                for (int column = 0; column < n; column++)
                {
                    matrix[row, column] += Math.Pow(x[i], row + column);
                }

                matrix[row, n] += y[i] * Math.Pow(x[i], row);
            }
        }

        for (int pivot = 0; pivot < n; pivot++)
        {
            int best = pivot;
            for (int row = pivot + 1; row < n; row++)
            {
                if (Math.Abs(matrix[row, pivot]) > Math.Abs(matrix[best, pivot]))
                {
                    best = row;
                }
            }

            for (int column = 0; column <= n; column++)
            {
                (matrix[pivot, column], matrix[best, column]) = (matrix[best, column], matrix[pivot, column]);
            }

            for (int row = 0; row < n; row++)
            {
                if (row == pivot || matrix[pivot, pivot] == 0)
                {
                    continue;
                }

                double factor = matrix[row, pivot] / matrix[pivot, pivot];
                for (int column = pivot; column <= n; column++)
                {
                    matrix[row, column] -= factor * matrix[pivot, column];
                }
            }
        }

        return [.. Enumerable.Range(0, n).Select(i => matrix[i, i] == 0 ? 0 : matrix[i, n] / matrix[i, i])];
    }
}
