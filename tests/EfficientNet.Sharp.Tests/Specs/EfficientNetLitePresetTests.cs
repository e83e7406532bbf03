using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Specs;

public class EfficientNetLitePresetTests
{
    // Parameter counts computed from TF's efficientnet_lite_builder rules (fixed stem, head and first/last
    // repeats), matching the Lite README's 4.7M / 5.4M / 6.1M / 8.2M / 13.0M (architecture-facts §6.1).
    [TestCase(0, 4_652_008L)]
    [TestCase(1, 5_416_680L)]
    [TestCase(2, 6_092_072L)]
    [TestCase(3, 8_197_096L)]
    [TestCase(4, 13_006_568L)]
    public void Lite_HasThePublishedParameterCount(int variant, long expected)
    {
        NetworkSpec spec = NetworkPresets.EfficientNetLite(variant);
        using var network = new ConvNetwork(spec);

        long built = network.parameters().Sum(p => p.numel());

        Assert.That(built, Is.EqualTo(expected));
        Assert.That(NetworkAnalyzer.Analyze(spec).Parameters, Is.EqualTo(expected));
    }

    [TestCase(0, 224, 16)]
    [TestCase(3, 280, 24)]
    [TestCase(4, 300, 24)]
    public void Lite_KeepsStemHeadAndEndRepeatsFixed(int variant, int resolution, int firstStageChannels)
    {
        NetworkSpec spec = NetworkPresets.EfficientNetLite(variant);

        Assert.That(spec.Name, Is.EqualTo($"efficientnet_lite{variant}"));
        Assert.That(spec.Family, Is.EqualTo(NetworkFamily.EfficientNetLite));
        Assert.That(spec.Resolution, Is.EqualTo(resolution));
        Assert.That(spec.Stem, Is.EqualTo(new StemSpec(32, 3, 2, ActivationKind.ReLU6)));
        Assert.That(spec.Head, Is.EqualTo(new HeadSpec(1280, ActivationKind.ReLU6)));
        Assert.That(spec.Stages[0].InChannels, Is.EqualTo(32));
        Assert.That(spec.Stages[0].OutChannels, Is.EqualTo(firstStageChannels));
        Assert.That(spec.Stages[0].Repeats, Is.EqualTo(1));
        Assert.That(spec.Stages[^1].Repeats, Is.EqualTo(1));
        Assert.That(spec.Stages.Select(s => s.SqueezeRatio), Is.All.Zero);
        Assert.That(spec.Stages.Select(s => s.Activation), Is.All.EqualTo(ActivationKind.ReLU6));
    }

    [TestCase(-1)]
    [TestCase(5)]
    public void Lite_OutsideZeroToFour_NamesTheVariant(int variant)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NetworkPresets.EfficientNetLite(variant));
        Assert.That(error!.ParamName, Is.EqualTo("variant"));
    }

    /// <summary>
    /// Lite's fixed parts are builder options (timm's <c>fix_stem</c> and <c>fix_first_last</c>): the builder at
    /// Lite's width and depth with both gives the preset's channels and repeats, whose parameter counts are
    /// checked against the published ones above.
    /// </summary>
    [TestCase(1, 1.0, 1.1)]
    [TestCase(2, 1.1, 1.2)]
    [TestCase(4, 1.4, 1.8)]
    public void Builder_WithLitesFixedParts_GivesTheLiteShape(int variant, double width, double depth)
    {
        NetworkSpec lite = NetworkPresets.EfficientNetLite(variant);
        NetworkSpec built = new EfficientNetBuilder().WithWidth(width).WithDepth(depth).WithFixedStemAndHead().WithFixedFirstAndLastRepeats().BuildSpec();
        NetworkSpec unfixed = new EfficientNetBuilder().WithWidth(width).WithDepth(depth).BuildSpec();
        Assert.Multiple(() =>
        {
            Assert.That(built.Stem.OutChannels, Is.EqualTo(lite.Stem.OutChannels));
            Assert.That(built.Head!.OutChannels, Is.EqualTo(lite.Head!.OutChannels));
            Assert.That(built.Stages.Select(s => (s.InChannels, s.OutChannels, s.Repeats)), Is.EqualTo(lite.Stages.Select(s => (s.InChannels, s.OutChannels, s.Repeats))));
            Assert.That(unfixed.Stages.Select(s => s.Repeats), Is.Not.EqualTo(lite.Stages.Select(s => s.Repeats)), "without the options the first and last stages scale");
        });
    }
}
