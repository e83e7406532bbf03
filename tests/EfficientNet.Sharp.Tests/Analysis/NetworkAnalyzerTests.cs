using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Analysis;

public class NetworkAnalyzerTests
{
    // torchvision's num_params and _ops ("GFLOPS", multiply-accumulates) for efficientnet_b0…b7, at each
    // weight's crop size (architecture-facts §4.1: B2's weights are evaluated at 288, not its native 260).
    [TestCase(0, 224, 5_288_548L, 0.386)]
    [TestCase(1, 240, 7_794_184L, 0.687)]
    [TestCase(2, 288, 9_109_994L, 1.088)]
    [TestCase(3, 300, 12_233_232L, 1.827)]
    [TestCase(4, 380, 19_341_616L, 4.394)]
    [TestCase(5, 456, 30_389_784L, 10.266)]
    [TestCase(6, 528, 43_040_704L, 19.068)]
    [TestCase(7, 600, 66_347_960L, 37.746)]
    public void EfficientNet_MatchesTorchvisionsPublishedFigures(int phi, int crop, long parameters, double gigaMacs)
    {
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(new EfficientNetBuilder().WithPhi(phi).BuildSpec(), crop);

        Assert.That(analysis.Parameters, Is.EqualTo(parameters));
        Assert.That(analysis.GigaMultiplyAccumulates, Is.EqualTo(gigaMacs).Within(1).Percent);
        TestContext.Out.WriteLine($"B{phi} at {crop}: {analysis.GigaMultiplyAccumulates:F4} GMACs (published {gigaMacs})");
    }

    [Test]
    public void MobileNets_MatchThePublishedFigures()
    {
        NetworkAnalysis v2 = NetworkAnalyzer.Analyze(new MobileNetV2Builder().BuildSpec());
        NetworkAnalysis v1 = NetworkAnalyzer.Analyze(new MobileNetV1Builder().BuildSpec());
        NetworkAnalysis v1Quarter = NetworkAnalyzer.Analyze(new MobileNetV1Builder().WithWidth(0.25).BuildSpec());

        using (Assert.EnterMultipleScope())
        {
            // torchvision mobilenet_v2: 3,504,872 parameters, 0.301 GFLOPS.
            Assert.That(v2.Parameters, Is.EqualTo(3_504_872L));
            Assert.That(v2.GigaMultiplyAccumulates, Is.EqualTo(0.301).Within(1).Percent);
            // TF-Slim MobileNetV1 table: 569 and 41 million MACs at 224 for α = 1.0 and 0.25.
            Assert.That(v1.Parameters, Is.EqualTo(4_231_976L));
            Assert.That(v1.MultiplyAccumulates / 1e6, Is.EqualTo(569).Within(1).Percent);
            Assert.That(v1Quarter.Parameters, Is.EqualTo(470_072L));
            Assert.That(v1Quarter.MultiplyAccumulates / 1e6, Is.EqualTo(41).Within(1).Percent);
        }
    }

    [Test]
    public void TinyNetwork_MatchesAHandCount()
    {
        // Stem 3→8 (3×3, stride 2) and one depthwise-separable block 8→16, at 32 px, 10 classes.
        var spec = new NetworkSpec
        {
            Name = "tiny",
            Family = NetworkFamily.MobileNetV1,
            Resolution = 32,
            Stem = new StemSpec(8, 3, 2, ActivationKind.ReLU),
            Stages = [new StageSpec(BlockKind.DepthwiseSeparable, 1, 3, 1, 8, 16, 1, 0, ActivationKind.ReLU)],
            Classifier = new ClassifierSpec(10, 0.1, ClassifierInitialization.UniformByOutFeatures),
            Layout = FeatureLayout.FlatBlocks,
        };

        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);

        using (Assert.EnterMultipleScope())
        {
            // Parameters: stem 8·3·9 + 16, depthwise 8·9 + 16, pointwise 16·8 + 32, linear 16·10 + 10.
            Assert.That(analysis.Parameters, Is.EqualTo(232 + 88 + 160 + 170));
            // MACs on 16×16 maps: stem 256·8·27, depthwise 256·8·9, pointwise 256·16·8, linear 160.
            Assert.That(analysis.MultiplyAccumulates, Is.EqualTo(55_296 + 18_432 + 32_768 + 160));
            // Inference peak, in elements: image 3072 + block input 2048 + depthwise output 2048
            // + pointwise conv and BatchNorm outputs 2 × 4096 = 15,360.
            Assert.That(analysis.InferencePeakActivationBytes, Is.EqualTo(15_360 * 4));
            // Training: image 3072, three tensors per conv layer (3·2048 + 3·2048 + 3·4096),
            // pooled 16, dropout mask and output 2·16, logits 10 = 27,706 elements.
            Assert.That(analysis.TrainingActivationBytes, Is.EqualTo(27_706 * 4));
            Assert.That(analysis.Parts.Select(p => p.Name), Is.EqualTo(new[] { "stem", "stage 1", "classifier" }));
            Assert.That(analysis.Parts[0].InferencePeakActivationBytes, Is.EqualTo(7_168 * 4));
        }
    }

    [Test]
    public void Memory_ScalesWithBatchAndResolution()
    {
        NetworkSpec b0 = new EfficientNetBuilder().BuildSpec();
        NetworkAnalysis one = NetworkAnalyzer.Analyze(b0, 224, batchSize: 1);
        NetworkAnalysis eight = NetworkAnalyzer.Analyze(b0, 224, batchSize: 8);
        NetworkAnalysis twice = NetworkAnalyzer.Analyze(b0, 448, batchSize: 1);

        Assert.That(eight.InferencePeakActivationBytes, Is.EqualTo(8 * one.InferencePeakActivationBytes));
        Assert.That(eight.TrainingActivationBytes, Is.EqualTo(8 * one.TrainingActivationBytes));
        Assert.That(eight.MultiplyAccumulates, Is.EqualTo(one.MultiplyAccumulates), "MACs are per image");
        Assert.That(twice.InferencePeakActivationBytes, Is.EqualTo(4 * one.InferencePeakActivationBytes).Within(1).Percent);
        Assert.That(one.TrainingActivationBytes, Is.GreaterThan(5 * one.InferencePeakActivationBytes));
        Assert.That(NetworkAnalyzer.Analyze(b0, elementBytes: 2).InferencePeakActivationBytes, Is.EqualTo(one.InferencePeakActivationBytes / 2));
    }

    [Test]
    public void Parts_AddUpToTheTotals()
    {
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(new EfficientNetBuilder().WithPhi(2).BuildSpec());

        Assert.That(analysis.Parts.Select(p => p.Name), Is.EqualTo(new[] { "stem", "stage 1", "stage 2", "stage 3", "stage 4", "stage 5", "stage 6", "stage 7", "head", "classifier" }));
        Assert.That(analysis.Parts.Sum(p => p.Parameters), Is.EqualTo(analysis.Parameters));
        Assert.That(analysis.Parts.Sum(p => p.MultiplyAccumulates), Is.EqualTo(analysis.MultiplyAccumulates));
        Assert.That(analysis.Parts.Select(p => p.OutputHeight), Is.EqualTo(new[] { 130, 130, 65, 33, 17, 17, 9, 9, 9, 1 }));
    }

    [Test]
    public void PerPartParameters_EqualTheBuiltModulesChildren()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(1.5).BuildSpec();
        using var model = new ConvNetwork(spec);
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);
        var children = model.Features.named_children().Select(c => ModuleInspection.ParameterCount(c.module)).ToList();

        Assert.That(analysis.Parts.Take(children.Count).Select(p => p.Parameters), Is.EqualTo(children));
        Assert.That(analysis.Parts[^1].Parameters, Is.EqualTo(ModuleInspection.ParameterCount(model.Classifier)));
    }

    private static IEnumerable<TestCaseData> Networks()
    {
        yield return new TestCaseData(new EfficientNetBuilder().BuildSpec(), 224, 224).SetName("{m}_B0");
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(1).BuildSpec(), 97, 131).SetName("{m}_B1_OddSizes");
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(-2.5).WithInputChannels(1).BuildSpec(), 150, 150).SetName("{m}_BelowB0");
        yield return new TestCaseData(new MobileNetV1Builder().WithWidth(0.5).BuildSpec(), 160, 160).SetName("{m}_MobileNetV1");
        yield return new TestCaseData(new MobileNetV2Builder().WithWidth(0.75).BuildSpec(), 192, 192).SetName("{m}_MobileNetV2");
        foreach (NetworkSpec spec in RandomSpecs.Generate(10, seed: 7))
        {
            yield return new TestCaseData(spec, 64, 48).SetName($"{{m}}_{spec.Name}");
        }
    }

    [TestCaseSource(nameof(Networks))]
    public void MultiplyAccumulates_EqualTheForwardPassCounterLayerByLayer(NetworkSpec spec, int height, int width)
    {
        using var model = new ConvNetwork(spec);
        IReadOnlyDictionary<string, long> measured = MultiplyAccumulateCounter.Count(model, [2, spec.InputChannels, height, width]);
        NetworkAnalysis analysis = NetworkAnalyzer.AnalyzeAt(spec, height, width);

        Assert.That(analysis.Layers.Select(l => l.Path), Is.EquivalentTo(measured.Keys));
        foreach (LayerCost layer in analysis.Layers)
        {
            Assert.That(layer.MultiplyAccumulates, Is.EqualTo(measured[layer.Path]), layer.Path);
        }
    }

    private static IEnumerable<TestCaseData> Random() =>
        RandomSpecs.Generate(50, seed: 20261124).Select(spec => new TestCaseData(spec).SetName($"{{m}}_{spec.Name}"));

    [TestCaseSource(nameof(Random))]
    public void RandomSpec_ParameterCountEqualsModule(NetworkSpec spec)
    {
        using var model = new ConvNetwork(spec);

        Assert.That(NetworkAnalyzer.Analyze(spec).Parameters, Is.EqualTo(ModuleInspection.ParameterCount(model)));
    }

    [TestCaseSource(nameof(Random))]
    public void RandomSpec_RunsAndGivesOneRowOfLogitsPerImage(NetworkSpec spec)
    {
        using var model = new ConvNetwork(spec);

        Assert.That(
            ModuleInspection.EvalOutputShape(model, 2, spec.InputChannels, spec.Resolution, spec.Resolution),
            Is.EqualTo(new long[] { 2, spec.OutputChannels }));
    }

    [Test]
    public void BadArguments_AreRejected()
    {
        NetworkSpec b0 = NetworkPresets.EfficientNetB0;

        Assert.That(() => NetworkAnalyzer.Analyze(b0, batchSize: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("batchSize"));
        Assert.That(() => NetworkAnalyzer.AnalyzeAt(b0, 0, 10), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("height"));
        Assert.That(() => NetworkAnalyzer.Analyze(b0, elementBytes: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("elementBytes"));
    }
}
