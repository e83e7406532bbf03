using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Tests.Scaling;

public class ChannelRoundingTests
{
    // Worked examples from the reference's §1.4 (round_filters with divisor 8).
    [TestCase(40 * 1.1, 48)]
    [TestCase(16 * 1.1, 16)]
    [TestCase(80 * 1.1, 88)]
    [TestCase(1280 * 1.1, 1408)]
    [TestCase(32 * 1.4, 48)]
    [TestCase(3.0, 8)]
    public void MakeDivisible_MatchesTheReferenceExamples(double value, int expected)
    {
        Assert.That(ChannelRounding.MakeDivisible(value, 8), Is.EqualTo(expected));
    }

    [Test]
    public void MakeDivisible_NeverRoundsDownByMoreThanTenPercent()
    {
        // 11 would round to 8 (27% down), so the rule adds one divisor.
        Assert.That(ChannelRounding.MakeDivisible(11, 8), Is.EqualTo(16));
    }

    [Test]
    public void MakeDivisible_WithDivisorOneRoundsHalfUp()
    {
        Assert.That(ChannelRounding.MakeDivisible(22.5, 1), Is.EqualTo(23));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    public void MakeDivisible_RejectsNonPositiveValues(double value)
    {
        Assert.That(() => ChannelRounding.MakeDivisible(value, 8), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("value"));
    }

    [TestCase(1, 1.1, 2)]
    [TestCase(3, 1.1, 4)]
    [TestCase(5, 1.4, 7)]
    [TestCase(3, 2.6, 8)]
    [TestCase(4, 3.1, 13)]
    [TestCase(3, 1.0 / 1.2, 3)]
    [TestCase(1, 0.1, 1)]
    public void RoundRepeats_RoundsUp(int repeats, double depth, int expected)
    {
        Assert.That(ChannelRounding.RoundRepeats(repeats, depth), Is.EqualTo(expected));
    }

    [TestCase(32, 0.75, 24)]
    [TestCase(1024, 0.25, 256)]
    [TestCase(64, 0.3, 19)]
    public void Truncate_IsKerasIntOfProduct(int channels, double alpha, int expected)
    {
        Assert.That(ChannelRounding.Truncate(channels, alpha), Is.EqualTo(expected));
    }
}
