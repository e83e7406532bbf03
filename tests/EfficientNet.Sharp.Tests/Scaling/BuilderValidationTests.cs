using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Scaling;

/// <summary>
/// Every builder refuses an out-of-range width or resolution where it is given — at the <c>With…</c> call, with an
/// <see cref="ArgumentOutOfRangeException"/> naming the parameter — not later, in a message about something else.
/// </summary>
public class BuilderValidationTests
{
    /// <summary>Each family's builder, as the base class type the shared methods return through.</summary>
    public static IEnumerable<TestCaseData> Builders()
    {
        yield return new TestCaseData(new Func<double, object>(w => new EfficientNetBuilder().WithWidth(w)), new Func<int, object>(p => new EfficientNetBuilder().WithResolution(p))).SetName("EfficientNet");
        yield return new TestCaseData(new Func<double, object>(w => new EfficientNetV2Builder().WithWidth(w)), new Func<int, object>(p => new EfficientNetV2Builder().WithResolution(p))).SetName("EfficientNetV2");
        yield return new TestCaseData(new Func<double, object>(w => new MobileNetV1Builder().WithWidth(w)), new Func<int, object>(p => new MobileNetV1Builder().WithResolution(p))).SetName("MobileNetV1");
        yield return new TestCaseData(new Func<double, object>(w => new MobileNetV2Builder().WithWidth(w)), new Func<int, object>(p => new MobileNetV2Builder().WithResolution(p))).SetName("MobileNetV2");
        yield return new TestCaseData(new Func<double, object>(w => new MobileNetV3Builder().WithWidth(w)), new Func<int, object>(p => new MobileNetV3Builder().WithResolution(p))).SetName("MobileNetV3");
    }

    [TestCaseSource(nameof(Builders))]
    public void OutOfRangeWidthAndResolution_AreRefusedAtTheCall_NamingTheParameter(Func<double, object> withWidth, Func<int, object> withResolution)
    {
        foreach (double width in new[] { 0, -1, double.NaN, double.PositiveInfinity, 1e6 })
        {
            Assert.That(() => withWidth(width), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("widthMultiplier"), $"width {width}");
        }

        foreach (int pixels in new[] { 0, 31, 8_193, 10_000, int.MaxValue })
        {
            Assert.That(() => withResolution(pixels), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("pixels"), $"{pixels} px");
        }

        Assert.That(() => withWidth(0.5), Throws.Nothing);
        Assert.That(() => withResolution(32), Throws.Nothing);
        Assert.That(() => withResolution(8_192), Throws.Nothing);
    }

    /// <summary>
    /// A width is checked against the variant selected, not the largest preset: MobileNetV3-Small's widest layer (576)
    /// may grow 100-fold (57,600 channels) where Large's (960) may not.
    /// </summary>
    [Test]
    public void Width_IsCheckedAgainstTheSelectedVariant()
    {
        Assert.That(() => new MobileNetV3Builder().Small().WithWidth(100), Throws.Nothing);
        Assert.That(() => new MobileNetV3Builder().Large().WithWidth(100), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contain("channels in its widest layer"));
    }

    [Test]
    public void MobileNetV1_KeepsItsOwnLimit_AStemOfOneChannel()
    {
        Assert.That(() => new MobileNetV1Builder().WithWidth(1 / 64.0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("widthMultiplier").And.Message.Contain("1/32"));
        Assert.That(new MobileNetV1Builder().WithWidth(1 / 32.0).BuildSpec().Stem.OutChannels, Is.EqualTo(1));
    }

    /// <summary>The shared methods set what the family's builder reads: the spec follows them.</summary>
    [Test]
    public void SharedMethods_ReachEachFamilysSpec()
    {
        Assert.That(new EfficientNetBuilder().WithPhi(2).WithResolution(200).BuildSpec().Resolution, Is.EqualTo(200));
        Assert.That(new EfficientNetV2Builder().Medium().WithResolution(256).BuildSpec().Resolution, Is.EqualTo(256));
        Assert.That(new MobileNetV2Builder().WithWidth(0.5).BuildSpec().Stem.OutChannels, Is.EqualTo(16));
        Assert.That(new MobileNetV3Builder().Small().WithWidth(0.75).WithResolution(160).BuildSpec().Name, Is.EqualTo("mobilenet_v3_small_0.75"));
        NetworkSpec v1 = new MobileNetV1Builder().WithWidth(0.25).WithResolution(128).BuildSpec();
        Assert.That((v1.Stem.OutChannels, v1.Resolution), Is.EqualTo((8, 128)));
    }
}
