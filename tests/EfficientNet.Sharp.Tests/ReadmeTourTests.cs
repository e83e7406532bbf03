using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using TorchSharp;

namespace EfficientNet.Sharp.Tests;

/// <summary>The README's tour, run with the numbers it claims asserted.</summary>
public class ReadmeTourTests
{
    [Test]
    public void Tour_RunsAndItsClaimsHold()
    {
        using ConvNetwork b3 = new EfficientNetBuilder().WithPhi(3).Build();
        NetworkSpec small = new EfficientNetBuilder().WithPhi(-2).BuildSpec();
        NetworkSpec custom = new EfficientNetBuilder().WithPhi(1).WithCoefficients(1.2, 1.1, 1.15).BuildSpec();
        NetworkSpec highRes = new EfficientNetBuilder().WithPhi(3).WithResolution(600).BuildSpec();
        using ConvNetwork gray = new EfficientNetBuilder().WithNumClasses(10).WithInputChannels(1).Build();
        using ConvNetwork v1 = new MobileNetV1Builder().WithWidth(0.25).WithResolution(128).WithActivation(ActivationKind.ReLU6).Build();
        using ConvNetwork v2 = new MobileNetV2Builder().WithWidth(0.75).Build();
        using ConvNetwork v3 = new MobileNetV3Builder().Small().Build();
        using ConvNetwork byName = ModelRegistry.Get("efficientnet_v2_s").Build();
        PretrainedFitResult which = DeviceFit.FromSpecsOnly().WithinParameters(6_000_000).FitPretrained();
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(b3.Spec, batchSize: 8);
        long parameters = analysis.Parameters;
        double gigaMacs = analysis.GigaMultiplyAccumulates;

        b3.eval();
        long[] logitsShape;
        long[] featureShape;
        long[][] pyramidShapes;
        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            logitsShape = b3.call(torch.randn(1, 3, 300, 300)).shape;
            featureShape = b3.ForwardFeatures(torch.randn(1, 3, 300, 300)).shape;
            pyramidShapes = [.. b3.ForwardFeatures(torch.randn(1, 3, 300, 300), [2, 3, 4]).Select(map => map.shape)];
        }

        using var block = new MBConv(inChannels: 40, outChannels: 80, kernelSize: 3, stride: 2, expandRatio: 6);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parameters, Is.EqualTo(12_233_232L));
            Assert.That(gigaMacs, Is.EqualTo(1.827).Within(0.0005));
            Assert.That(logitsShape, Is.EqualTo(new long[] { 1, 1000 }));
            Assert.That(featureShape, Is.EqualTo(new long[] { 1, 1536, 10, 10 }));
            Assert.That(pyramidShapes, Is.EqualTo(new[] { new long[] { 1, 48, 38, 38 }, new long[] { 1, 136, 19, 19 }, new long[] { 1, 384, 10, 10 } }));
            Assert.That(NetworkAnalyzer.Analyze(small).Parameters, Is.LessThan(5_288_548L));
            Assert.That(custom.Scaling!.Rule, Is.EqualTo(ScalingRule.CompoundCoefficients));
            Assert.That(highRes.Resolution, Is.EqualTo(600));
            Assert.That(v3.Spec.Name, Is.EqualTo("mobilenet_v3_small"));
            Assert.That(byName.Spec.Family, Is.EqualTo(NetworkFamily.EfficientNetV2));
            Assert.That(which.Choice!.Name, Is.EqualTo("EfficientNet_B0.ImageNet1K_V1"));
            Assert.That(gray.Spec.InputChannels, Is.EqualTo(1));
            Assert.That(v1.Spec.Stem.Activation, Is.EqualTo(ActivationKind.ReLU6));
            Assert.That(ModuleInspection.ParameterCount(v2), Is.EqualTo(2_636_424L));
        }
    }

    [Test]
    public void Tour_TfLiteAndServingLinesRun()
    {
        using TfLiteModel lite = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));
        using var liteClassifier = new ImageClassifier(lite.Network, lite.Transform);
        using ConvNetwork pretrained = new EfficientNetBuilder().WithPhi(-3).Build();
        using InferenceNetwork fast = pretrained.ForInference();

        Assert.That(lite.Spec.Name, Is.EqualTo("mobilenet_v1_0.25_128"));
        Assert.That(liteClassifier.Labels, Has.Count.EqualTo(1001));
        Assert.That(ModuleInspection.EvalOutputShape(fast, 1, 3, 64, 64), Is.EqualTo(new long[] { 1, 1000 }));
    }

    [Test]
    public void ScalingGuide_AnyPhiBetweenZeroAndOneHasB1sDepth()
    {
        // docs/scaling.md: ⌈d·n⌉ with d in (1, 1.1] gives B1's repeats, 23 blocks.
        int[] b1Repeats = [.. new EfficientNetBuilder().WithPhi(1).BuildSpec().Stages.Select(s => s.Repeats)];

        foreach (double phi in new[] { 0.01, 0.3, 0.7, 0.99 })
        {
            NetworkSpec spec = new EfficientNetBuilder().WithPhi(phi).BuildSpec();
            Assert.That(spec.Stages.Select(s => s.Repeats), Is.EqualTo(b1Repeats), $"φ = {phi}");
            Assert.That(spec.BlockCount, Is.EqualTo(23));
        }
    }
}
