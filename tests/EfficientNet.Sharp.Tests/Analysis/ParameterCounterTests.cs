using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Analysis;

public class ParameterCounterTests
{
    // torchvision's num_params for efficientnet_b0…b7.
    [TestCase(0, 5_288_548L)]
    [TestCase(1, 7_794_184L)]
    [TestCase(2, 9_109_994L)]
    [TestCase(3, 12_233_232L)]
    [TestCase(4, 19_341_616L)]
    [TestCase(5, 30_389_784L)]
    [TestCase(6, 43_040_704L)]
    [TestCase(7, 66_347_960L)]
    public void EfficientNet_CountFromTheSpecEqualsThePublishedCount(int phi, long parameters)
    {
        Assert.That(ParameterCounter.Count(new EfficientNetBuilder().WithPhi(phi).BuildSpec()).Total, Is.EqualTo(parameters));
    }

    [Test]
    public void MobileNets_CountFromTheSpecEqualsThePublishedCount()
    {
        Assert.That(ParameterCounter.Count(new MobileNetV2Builder().BuildSpec()).Total, Is.EqualTo(3_504_872L));
        Assert.That(ParameterCounter.Count(new MobileNetV1Builder().BuildSpec()).Total, Is.EqualTo(4_231_976L));
        Assert.That(ParameterCounter.Count(new MobileNetV1Builder().WithWidth(0.25).BuildSpec()).Total, Is.EqualTo(470_072L));
    }

    [Test]
    public void PerStageCounts_EqualTheBuiltModulesChildren()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(1.5).BuildSpec();
        using var model = new ConvNetwork(spec);
        ParameterBreakdown counts = ParameterCounter.Count(spec);
        var children = model.Features.named_children().ToDictionary(c => c.name, c => ModuleInspection.ParameterCount(c.module));

        Assert.That(counts.Stem, Is.EqualTo(children["0"]));
        for (int s = 0; s < spec.Stages.Count; s++)
        {
            Assert.That(counts.Stages[s], Is.EqualTo(children[(s + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]), $"stage {s}");
        }

        Assert.That(counts.Head, Is.EqualTo(children[(spec.Stages.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        Assert.That(counts.Classifier, Is.EqualTo(ModuleInspection.ParameterCount(model.Classifier)));
    }

    private static IEnumerable<TestCaseData> Random() =>
        RandomSpecs.Generate(50, seed: 20261124).Select(spec => new TestCaseData(spec).SetName($"{{m}}_{spec.Name}"));

    [TestCaseSource(nameof(Random))]
    public void RandomSpec_CountEqualsModule(NetworkSpec spec)
    {
        using var model = new ConvNetwork(spec);

        Assert.That(ParameterCounter.Count(spec).Total, Is.EqualTo(ModuleInspection.ParameterCount(model)));
    }

    [TestCaseSource(nameof(Random))]
    public void RandomSpec_RunsAndGivesOneRowOfLogitsPerImage(NetworkSpec spec)
    {
        using var model = new ConvNetwork(spec);

        Assert.That(
            ModuleInspection.EvalOutputShape(model, 2, spec.InputChannels, spec.Resolution, spec.Resolution),
            Is.EqualTo(new long[] { 2, spec.Classifier.NumClasses }));
    }
}
