using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Scaling;

public class EfficientNetBuilderTests
{
    [Test]
    public void FractionalPhi_InterpolatesTheLadderGeometrically()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(2.5).BuildSpec();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Scaling!.Rule, Is.EqualTo(ScalingRule.InterpolatedLadder));
            Assert.That(spec.Scaling.WidthMultiplier, Is.EqualTo(Math.Sqrt(1.1 * 1.2)).Within(1e-12));
            Assert.That(spec.Scaling.DepthMultiplier, Is.EqualTo(Math.Sqrt(1.2 * 1.4)).Within(1e-12));
            // √(260 · 300) = 279.3 px, rounded to a multiple of 4.
            Assert.That(spec.Resolution, Is.EqualTo(280));
            Assert.That(spec.Classifier.Dropout, Is.EqualTo(0.3).Within(1e-12));
            Assert.That(spec.Name, Is.EqualTo("efficientnet_phi2.5"));
        }
    }

    [Test]
    public void FractionalPhi_DropoutInterpolatesLinearly()
    {
        // B3 (0.3) → B4 (0.4).
        Assert.That(new EfficientNetBuilder().WithPhi(3.25).BuildSpec().Classifier.Dropout, Is.EqualTo(0.325).Within(1e-12));
    }

    [Test]
    public void Resolution_IsAlwaysAMultipleOfFour()
    {
        for (double phi = -4; phi <= 9; phi += 0.05)
        {
            Assert.That(new EfficientNetBuilder().WithPhi(phi).BuildSpec().Resolution % 4, Is.Zero, $"φ = {phi}");
        }
    }

    [Test]
    public void Family_HasNoJumpInItsMultipliersAtThePresetsOrAtEitherEnd()
    {
        // Channels and repeats are step functions of w and d (round half up, ceil), so only the
        // multipliers, and the resolution rounded to 4 px, can be continuous; they must be.
        for (int phi = 0; phi <= 7; phi++)
        {
            NetworkSpec preset = new EfficientNetBuilder().WithPhi(phi).BuildSpec();
            foreach (double nearby in new[] { phi - 1e-9, phi + 1e-9 })
            {
                NetworkSpec near = new EfficientNetBuilder().WithPhi(nearby).BuildSpec();
                Assert.That(near.Scaling!.WidthMultiplier, Is.EqualTo(preset.Scaling!.WidthMultiplier).Within(1e-6), $"width at φ = {nearby}");
                Assert.That(near.Scaling.DepthMultiplier, Is.EqualTo(preset.Scaling.DepthMultiplier).Within(1e-6), $"depth at φ = {nearby}");
                Assert.That(near.Scaling.ResolutionMultiplier, Is.EqualTo(preset.Scaling.ResolutionMultiplier).Within(1e-6), $"resolution multiplier at φ = {nearby}");
                Assert.That(near.Resolution, Is.EqualTo(preset.Resolution), $"resolution at φ = {nearby}");
                Assert.That(near.Classifier.Dropout, Is.EqualTo(preset.Classifier.Dropout).Within(1e-6), $"dropout at φ = {nearby}");
            }
        }
    }

    [Test]
    public void Multipliers_GrowMonotonicallyWithPhi()
    {
        ScalingSpec? previous = null;
        for (double phi = -5; phi <= 10; phi += 0.1)
        {
            ScalingSpec current = new EfficientNetBuilder().WithPhi(phi).BuildSpec().Scaling!;
            if (previous is not null)
            {
                Assert.That(current.WidthMultiplier, Is.GreaterThanOrEqualTo(previous.WidthMultiplier), $"width at φ = {phi}");
                Assert.That(current.DepthMultiplier, Is.GreaterThan(previous.DepthMultiplier), $"depth at φ = {phi}");
                Assert.That(current.ResolutionMultiplier, Is.GreaterThan(previous.ResolutionMultiplier), $"resolution at φ = {phi}");
            }

            previous = current;
        }
    }

    [Test]
    public void NegativePhi_ScalesDownFromB0WithThePapersCoefficients()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-1).BuildSpec();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Scaling!.Rule, Is.EqualTo(ScalingRule.CompoundExtrapolation));
            Assert.That(spec.Scaling.Coefficients, Is.EqualTo(new CompoundCoefficients(1.2, 1.1, 1.15)));
            Assert.That(spec.Scaling.WidthMultiplier, Is.EqualTo(1 / 1.1).Within(1e-12));
            Assert.That(spec.Scaling.DepthMultiplier, Is.EqualTo(1 / 1.2).Within(1e-12));
            // 224 / 1.15 = 194.8 px → 196.
            Assert.That(spec.Resolution, Is.EqualTo(196));
            // round_filters(c / 1.1), worked by hand: 29.1→32, 14.5→16, 21.8→24, 36.4→40, 72.7→72, 101.8→104, 174.5→176, 290.9→288, 1163.6→1160.
            Assert.That(spec.Stem.OutChannels, Is.EqualTo(32));
            Assert.That(spec.Stages.Select(s => s.OutChannels), Is.EqualTo(new[] { 16, 24, 40, 72, 104, 176, 288 }));
            Assert.That(spec.Head!.OutChannels, Is.EqualTo(1160));
            // ⌈n / 1.2⌉ leaves B0's repeats: 1, 2, 2, 3 (2.5→3), 3, 4 (3.3→4), 1.
            Assert.That(spec.Stages.Select(s => s.Repeats), Is.EqualTo(new[] { 1, 2, 2, 3, 3, 4, 1 }));
        }
    }

    [Test]
    public void NegativePhi_GivesSmallerNetworksThanB0()
    {
        long b0 = Parameters(0);
        long minusTwo = Parameters(-2);
        long minusFour = Parameters(-4);

        Assert.That(minusTwo, Is.LessThan(b0));
        Assert.That(minusFour, Is.LessThan(minusTwo));
        Assert.That(new EfficientNetBuilder().WithPhi(-4).BuildSpec().Stages.Select(s => s.Repeats), Is.EqualTo(new[] { 1, 1, 1, 2, 2, 2, 1 }));

        static long Parameters(double phi)
        {
            using var model = new EfficientNetBuilder().WithPhi(phi).Build();
            return ModuleInspection.ParameterCount(model);
        }
    }

    [Test]
    public void PhiAboveSeven_ContinuesFromB7()
    {
        ScalingSpec scaling = new EfficientNetBuilder().WithPhi(8).BuildSpec().Scaling!;

        Assert.That(scaling.Rule, Is.EqualTo(ScalingRule.CompoundExtrapolation));
        Assert.That(scaling.WidthMultiplier, Is.EqualTo(2.0 * 1.1).Within(1e-12));
        Assert.That(scaling.DepthMultiplier, Is.EqualTo(3.1 * 1.2).Within(1e-12));
        Assert.That(scaling.ResolutionMultiplier * 224, Is.EqualTo(600 * 1.15).Within(1e-9));
    }

    [Test]
    public void Coefficients_GivePureCompoundScalingFromB0()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(1).WithCoefficients(1.2, 1.1, 1.15).BuildSpec();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Scaling!.Rule, Is.EqualTo(ScalingRule.CompoundCoefficients));
            Assert.That(spec.Scaling.DepthMultiplier, Is.EqualTo(1.2).Within(1e-12));
            Assert.That(spec.Scaling.WidthMultiplier, Is.EqualTo(1.1).Within(1e-12));
            // 224 · 1.15 = 257.6 px → 256.
            Assert.That(spec.Resolution, Is.EqualTo(256));
            // 1.2 · 1.1² · 1.15² = 1.92027 (the paper's "≈ 2").
            Assert.That(spec.Scaling.CoefficientFlopsFactor, Is.EqualTo(1.92027).Within(1e-12));
            // round_filters(40 · 1.1 = 44) = 48, and ⌈2 · 1.2⌉ = 3.
            Assert.That(spec.Stages[2].OutChannels, Is.EqualTo(48));
            Assert.That(spec.Stages[1].Repeats, Is.EqualTo(3));
        }
    }

    [Test]
    public void Coefficients_AtPhiZeroGiveB0()
    {
        NetworkSpec b0 = new EfficientNetBuilder().BuildSpec();
        NetworkSpec spec = new EfficientNetBuilder().WithCoefficients(1.3, 1.2, 1.1).BuildSpec();

        Assert.That(spec.Stages, Is.EqualTo(b0.Stages));
        Assert.That(spec.Resolution, Is.EqualTo(224));
    }

    [Test]
    public void SingleDimensionOverrides_LeaveTheOtherDimensionsAlone()
    {
        NetworkSpec b3 = new EfficientNetBuilder().WithPhi(3).BuildSpec();
        NetworkSpec doubled = new EfficientNetBuilder().WithPhi(3).WithResolution(600).BuildSpec();
        NetworkSpec deeper = new EfficientNetBuilder().WithPhi(3).WithDepth(2.0).BuildSpec();
        NetworkSpec wider = new EfficientNetBuilder().WithWidth(2.0).BuildSpec();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(doubled.Stages, Is.EqualTo(b3.Stages));
            Assert.That(doubled.Resolution, Is.EqualTo(600));
            Assert.That(doubled.Scaling!.ResolutionMultiplier, Is.EqualTo(600 / 224.0));
            Assert.That(deeper.Stages.Select(s => s.OutChannels), Is.EqualTo(b3.Stages.Select(s => s.OutChannels)));
            Assert.That(deeper.Stages.Select(s => s.Repeats), Is.EqualTo(new[] { 2, 4, 4, 6, 6, 8, 2 }));
            Assert.That(deeper.Resolution, Is.EqualTo(300));
            Assert.That(wider.Stages.Select(s => s.OutChannels), Is.EqualTo(new[] { 32, 48, 80, 160, 224, 384, 640 }));
            Assert.That(wider.Stages.Select(s => s.Repeats), Is.EqualTo(new[] { 1, 2, 2, 3, 3, 4, 1 }));
            Assert.That(wider.Resolution, Is.EqualTo(224));
            Assert.That(new EfficientNetBuilder().WithResolutionMultiplier(2).BuildSpec().Resolution, Is.EqualTo(448));
        }
    }

    [Test]
    public void ClassifierAndInputOptions_ReachTheSpec()
    {
        NetworkSpec spec = new EfficientNetBuilder()
            .WithNumClasses(10).WithDropout(0.1).WithStochasticDepth(0.3).WithInputChannels(1)
            .BuildSpec();

        Assert.That(spec.Classifier.NumClasses, Is.EqualTo(10));
        Assert.That(spec.Classifier.Dropout, Is.EqualTo(0.1));
        Assert.That(spec.StochasticDepthRate, Is.EqualTo(0.3));
        Assert.That(spec.InputChannels, Is.EqualTo(1));
        Assert.That(spec.Blocks[^1].StochasticDepthProbability, Is.EqualTo(0.3 * 15 / 16).Within(1e-12));
    }

    [Test]
    public void Builder_IsImmutable()
    {
        var start = new EfficientNetBuilder();
        EfficientNetBuilder b3 = start.WithPhi(3);

        Assert.That(start.BuildSpec().Name, Is.EqualTo("efficientnet_b0"));
        Assert.That(b3.BuildSpec().Name, Is.EqualTo("efficientnet_b3"));
    }

    [Test]
    public void BuildSpec_IsDeterministicAndComparable()
    {
        NetworkSpec first = new EfficientNetBuilder().WithPhi(1.7).BuildSpec();
        NetworkSpec second = new EfficientNetBuilder().WithPhi(1.7).BuildSpec();
        NetworkSpec other = new EfficientNetBuilder().WithPhi(1.8).BuildSpec();

        Assert.That(second, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    private static IEnumerable<TestCaseData> BadArguments()
    {
        yield return Case(() => new EfficientNetBuilder().WithPhi(double.NaN), "phi", "NaN φ");
        yield return Case(() => new EfficientNetBuilder().WithPhi(double.PositiveInfinity), "phi", "infinite φ");
        yield return Case(() => new EfficientNetBuilder().WithPhi(-20).BuildSpec(), "phi", "φ too small for 32 px");
        yield return Case(() => new EfficientNetBuilder().WithCoefficients(0.9, 1.1, 1.15), "alpha", "α < 1");
        yield return Case(() => new EfficientNetBuilder().WithCoefficients(1.2, double.NaN, 1.15), "beta", "NaN β");
        yield return Case(() => new EfficientNetBuilder().WithCoefficients(1.2, 1.1, 0), "gamma", "γ = 0");
        yield return Case(() => new EfficientNetBuilder().WithWidth(0), "widthMultiplier", "zero width");
        yield return Case(() => new EfficientNetBuilder().WithWidth(double.NaN), "widthMultiplier", "NaN width");
        yield return Case(() => new EfficientNetBuilder().WithDepth(-1), "depthMultiplier", "negative depth");
        yield return Case(() => new EfficientNetBuilder().WithResolution(31), "pixels", "31 px");
        yield return Case(() => new EfficientNetBuilder().WithResolutionMultiplier(0.1), "resolutionMultiplier", "22 px");
        yield return Case(() => new EfficientNetBuilder().WithNumClasses(-1), "numClasses", "negative classes");
        yield return Case(() => new EfficientNetBuilder().WithDropout(1), "dropout", "dropout 1");
        yield return Case(() => new EfficientNetBuilder().WithDropout(-0.1), "dropout", "negative dropout");
        yield return Case(() => new EfficientNetBuilder().WithStochasticDepth(double.NaN), "rate", "NaN stochastic depth");
        yield return Case(() => new EfficientNetBuilder().WithInputChannels(0), "channels", "zero input channels");

        static TestCaseData Case(Action call, string parameter, string name) => new TestCaseData(call, parameter).SetName($"BadArgument_{name}");
    }

    [TestCaseSource(nameof(BadArguments))]
    public void BadArgument_ThrowsNamingIt(Action call, string parameter)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => call());
        Assert.That(exception!.ParamName, Is.EqualTo(parameter));
        Assert.That(exception.Message, Does.Contain(parameter));
    }
}
