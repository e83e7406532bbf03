using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Tests.Devices;

/// <summary>The median's 90% interval from order statistics, and the "within noise" verdict it gives a budget.</summary>
public class MedianIntervalTests
{
    /// <summary>Published order-statistic ranks for a ≥ 90% two-sided median interval: n = 10 → x(2)…x(9), n = 20 → x(6)…x(15).</summary>
    [TestCase(4, 0)]
    [TestCase(5, 1)]
    [TestCase(10, 2)]
    [TestCase(20, 6)]
    public void Rank_MatchesTheBinomialTables(int samples, int rank) =>
        Assert.That(LatencyMeasurement.MedianIntervalRank(samples, 0.05), Is.EqualTo(rank));

    [Test]
    public void Interval_CoversTheTrueMedianAtLeastNinetyPercentOfTheTime_OnSkewedTimings()
    {
        // Exponential run times (a long right tail, as a noisy machine gives): true median ln 2.
        var random = new Random(17);
        int covered = 0;
        const int Trials = 4000;
        for (int trial = 0; trial < Trials; trial++)
        {
            double[] samples = [.. Enumerable.Range(0, 10).Select(_ => -Math.Log(1 - random.NextDouble()))];
            (double lower, double upper) = Measurement(samples).MedianInterval90;
            covered += lower <= Math.Log(2) && Math.Log(2) <= upper ? 1 : 0;
        }

        Assert.That(covered / (double)Trials, Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public void ALatencyVerdictInsideTheInterval_IsReportedAsWithinNoise()
    {
        var budget = new FitBudget(30, 1, null, null, null);
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(new MobileNetV3Builder().Small().BuildSpec());
        LatencyMeasurement straddling = Measurement([28, 29, 30.5, 31, 31, 31.5, 32, 33, 34, 35]);
        LatencyMeasurement clear = Measurement([40, 40, 41, 41, 41, 42, 42, 43, 43, 44]);

        string near = BudgetCheck.MeasuredViolations(budget, analysis, new CostMeasurement(straddling.MedianMilliseconds, 0, null, straddling)).Single();
        string far = BudgetCheck.MeasuredViolations(budget, analysis, new CostMeasurement(clear.MedianMilliseconds, 0, null, clear)).Single();

        Assert.That(near, Does.Contain("within noise").And.Contain("29–34 ms"));
        Assert.That(far, Does.Not.Contain("noise"));
    }

    private static LatencyMeasurement Measurement(double[] samples) => new(ComputeDevice.Cpu(1), 1, 224, 224, 0, samples, null);
}
