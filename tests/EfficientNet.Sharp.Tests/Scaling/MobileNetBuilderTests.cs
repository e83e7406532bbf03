using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Scaling;

public class MobileNetBuilderTests
{
    // architecture-facts §4.5: Keras-style int(c·α) channels, BN γ/β counted, 1000-class classifier with bias.
    [TestCase(1.0, 4_231_976L)]
    [TestCase(0.75, 2_585_560L)]
    [TestCase(0.5, 1_331_592L)]
    [TestCase(0.25, 470_072L)]
    public void MobileNetV1_HasThePublishedParameterCount(double alpha, long parameters)
    {
        using var model = new MobileNetV1Builder().WithWidth(alpha).Build();

        Assert.That(ModuleInspection.ParameterCount(model), Is.EqualTo(parameters));
    }

    [Test]
    public void MobileNetV1_HasThirteenBlocksWithThePapersStrides()
    {
        NetworkSpec spec = new MobileNetV1Builder().WithWidth(0.25).WithResolution(128).BuildSpec();

        Assert.That(spec.Blocks.Select(b => b.OutChannels), Is.EqualTo(new[] { 16, 32, 32, 64, 64, 128, 128, 128, 128, 128, 128, 256, 256 }));
        Assert.That(spec.Blocks.Select(b => b.Stride), Is.EqualTo(new[] { 1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1 }));
        Assert.That(spec.Stem.OutChannels, Is.EqualTo(8));
        Assert.That(spec.Resolution, Is.EqualTo(128));
        Assert.That(spec.Blocks.Any(b => b.HasResidual), Is.False);
    }

    [Test]
    public void MobileNetV1_ActivationIsPartOfTheSpec()
    {
        Assert.That(new MobileNetV1Builder().BuildSpec().Stages.Select(s => s.Activation), Is.All.EqualTo(ActivationKind.ReLU));

        NetworkSpec relu6 = new MobileNetV1Builder().WithActivation(ActivationKind.ReLU6).BuildSpec();
        Assert.That(relu6.Stages.Select(s => s.Activation), Is.All.EqualTo(ActivationKind.ReLU6));
        Assert.That(relu6.Stem.Activation, Is.EqualTo(ActivationKind.ReLU6));
    }

    // torchvision's num_params for 1.0, and the computed counts of architecture-facts §4.6 for the other widths.
    [TestCase(1.0, 3_504_872L)]
    [TestCase(0.75, 2_636_424L)]
    [TestCase(0.5, 1_968_680L)]
    [TestCase(0.35, 1_677_128L)]
    [TestCase(1.4, 6_108_776L)]
    public void MobileNetV2_HasThePublishedParameterCount(double width, long parameters)
    {
        using var model = new MobileNetV2Builder().WithWidth(width).Build();

        Assert.That(ModuleInspection.ParameterCount(model), Is.EqualTo(parameters));
    }

    [Test]
    public void MobileNetV2_HeadNeverShrinksBelow1280()
    {
        Assert.That(new MobileNetV2Builder().WithWidth(0.5).BuildSpec().Head!.OutChannels, Is.EqualTo(1280));
        Assert.That(new MobileNetV2Builder().WithWidth(1.4).BuildSpec().Head!.OutChannels, Is.EqualTo(1792));
    }

    [Test]
    public void MobileNetV2_BlocksMatchTheReferenceTable()
    {
        // architecture-facts §2.5: features.1 … features.17 (t, in, hidden, out, stride, residual).
        NetworkSpec spec = new MobileNetV2Builder().BuildSpec();
        int[] hidden = [32, 96, 144, 144, 192, 192, 192, 384, 384, 384, 384, 576, 576, 576, 960, 960, 960];
        bool[] residual = [false, false, true, false, true, true, false, true, true, true, false, true, true, false, true, true, false];

        Assert.That(spec.Blocks.Select(b => b.ExpandedChannels), Is.EqualTo(hidden));
        Assert.That(spec.Blocks.Select(b => b.HasResidual), Is.EqualTo(residual));
    }

    [Test]
    public void SharedBuilderOptions_ReachTheSpec()
    {
        NetworkSpec v1 = new MobileNetV1Builder().WithNumClasses(1001).WithDropout(0.2).WithInputChannels(1).WithBatchNorm(BatchNormSpec.TensorFlowPorted).BuildSpec();
        NetworkSpec v2 = new MobileNetV2Builder().WithNumClasses(5).WithBatchNorm(BatchNormSpec.TensorFlowPorted).BuildSpec();

        Assert.That((v1.Classifier.NumClasses, v1.Classifier.Dropout, v1.InputChannels, v1.BatchNorm), Is.EqualTo((1001, 0.2, 1, BatchNormSpec.TensorFlowPorted)));
        Assert.That((v2.Classifier.NumClasses, v2.Classifier.Dropout, v2.BatchNorm), Is.EqualTo((5, 0.2, BatchNormSpec.TensorFlowPorted)));
        Assert.That(new MobileNetV1Builder().BuildSpec().Classifier.Dropout, Is.EqualTo(0.001));
    }

    private static IEnumerable<TestCaseData> BadArguments()
    {
        yield return Case(() => new MobileNetV1Builder().WithWidth(0.01), "widthMultiplier", "V1 width too small");
        yield return Case(() => new MobileNetV1Builder().WithWidth(double.NaN), "widthMultiplier", "V1 NaN width");
        yield return Case(() => new MobileNetV1Builder().WithResolution(16), "pixels", "V1 16 px");
        yield return Case(() => new MobileNetV1Builder().WithNumClasses(-1), "numClasses", "V1 negative classes");
        yield return Case(() => new MobileNetV1Builder().WithDropout(1.5), "dropout", "V1 dropout 1.5");
        yield return Case(() => new MobileNetV1Builder().WithActivation(ActivationKind.Identity), "activation", "V1 linear activation");
        yield return Case(() => new MobileNetV1Builder().WithInputChannels(-3), "channels", "V1 negative channels");
        yield return Case(() => new MobileNetV2Builder().WithWidth(-1), "widthMultiplier", "V2 negative width");
        yield return Case(() => new MobileNetV2Builder().WithRoundNearest(0), "divisor", "V2 divisor 0");
        yield return Case(() => new MobileNetV2Builder().WithResolution(0), "pixels", "V2 0 px");
        yield return Case(() => new MobileNetV2Builder().WithNumClasses(-1), "numClasses", "V2 negative classes");
        yield return Case(() => new MobileNetV2Builder().WithDropout(double.NaN), "dropout", "V2 NaN dropout");

        static TestCaseData Case(Action call, string parameter, string name) => new TestCaseData(call, parameter).SetName($"BadArgument_{name}");
    }

    [TestCaseSource(nameof(BadArguments))]
    public void BadArgument_ThrowsNamingIt(Action call, string parameter)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => call());
        Assert.That(exception!.ParamName, Is.EqualTo(parameter));
    }
}
