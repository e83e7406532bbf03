using EfficientNet.Sharp.Onnx.Int8;

namespace EfficientNet.Sharp.Tests.Onnx.Int8;

/// <summary>The calibration methods' ranges on distributions whose answer is known.</summary>
public class ActivationStatisticsTests
{
    /// <summary>ReLU-like values: 100,000 spread evenly over [0, 4), and one outlier at 100.</summary>
    private static ActivationStatistics WithOneOutlier()
    {
        float[] values = [.. Enumerable.Range(0, 100_000).Select(i => i * 4f / 100_000), 100f];
        var statistics = new ActivationStatistics();
        statistics.ObserveExtremes(values);
        statistics.ObserveHistogram(values);
        return statistics;
    }

    [Test]
    public void MinMax_CoversEveryValue()
    {
        Assert.That(WithOneOutlier().Range(CalibrationMethod.MinMax), Is.EqualTo((0f, 100f)));
    }

    [Test]
    public void Percentile_ClipsTheOutlier_KeepsTheBulk()
    {
        (float low, float high) = WithOneOutlier().Range(CalibrationMethod.Percentile);
        Assert.That(low, Is.EqualTo(0f));

        // The bulk ends at 4; one histogram bin is 100 / 2048 ≈ 0.05 wide.
        Assert.That(high, Is.InRange(3.9f, 4.1f));
    }

    [Test]
    public void Entropy_ClipsALongTail()
    {
        // Exponentially distributed magnitudes (as ReLU outputs often are): the largest of 100,000 is about ln 100,000 ≈ 11.5,
        // but a grid that wide wastes most of its 256 levels on a handful of values; the divergence is least well inside.
        var random = new Random(5);
        float[] values = [.. Enumerable.Range(0, 100_000).Select(_ => (float)-Math.Log(1 - random.NextDouble()))];
        var statistics = new ActivationStatistics();
        statistics.ObserveExtremes(values);
        statistics.ObserveHistogram(values);
        (float low, float high) = statistics.Range(CalibrationMethod.Entropy);
        TestContext.Out.WriteLine($"max {statistics.Max:0.00}, entropy threshold {high:0.00}");
        Assert.That(low, Is.EqualTo(statistics.Min));
        Assert.That(high, Is.InRange(2f, 0.8f * statistics.Max));
    }

    [Test]
    public void Entropy_OfAUniformBulkWithoutOutliers_KeepsNearlyAll()
    {
        float[] values = [.. Enumerable.Range(0, 100_000).Select(i => -2f + (i * 4f / 100_000))];
        var statistics = new ActivationStatistics();
        statistics.ObserveExtremes(values);
        statistics.ObserveHistogram(values);
        (float low, float high) = statistics.Range(CalibrationMethod.Entropy);
        Assert.That(high, Is.GreaterThan(1.8f));
        Assert.That(low, Is.LessThan(-1.8f));
    }

    [Test]
    public void NonFiniteActivation_IsReported()
    {
        var statistics = new ActivationStatistics();
        Assert.Throws<InvalidDataException>(() => statistics.ObserveExtremes([1f, float.NaN]));
    }
}
