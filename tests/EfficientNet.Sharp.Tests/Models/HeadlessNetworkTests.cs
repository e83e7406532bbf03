using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Tests.Onnx;
using EfficientNet.Sharp.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Models;

/// <summary>
/// Networks with no classifier (<c>NumClasses = 0</c>, timm's <c>num_classes=0</c>): they return the globally
/// pooled last feature map, and every consumer of a spec — analysis, keys, inference copies, ONNX, the
/// classifier wrapper — agrees on that.
/// </summary>
public class HeadlessNetworkTests
{
    private static IEnumerable<TestCaseData> Specs()
    {
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(-3).WithNumClasses(0).BuildSpec()).SetName("{m}_EfficientNet");
        yield return new TestCaseData(new MobileNetV1Builder().WithWidth(0.25).WithResolution(64).WithNumClasses(0).BuildSpec()).SetName("{m}_MobileNetV1");
        yield return new TestCaseData(new MobileNetV3Builder().Small().WithResolution(64).WithNumClasses(0).BuildSpec()).SetName("{m}_MobileNetV3Small");
    }

    [TestCaseSource(nameof(Specs))]
    public void Output_IsThePooledLastFeatureMap(NetworkSpec spec)
    {
        using ConvNetwork network = RandomStatistics.Network(spec);
        network.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor input = torch.randn([2, spec.InputChannels, spec.Resolution, spec.Resolution + 8], generator: new torch.Generator(5));

        Tensor output = network.call(input);
        Tensor pooled = network.ForwardFeatures(input).mean([2L, 3L]);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Classifier.IsHeadless, Is.True);
            Assert.That(output.shape, Is.EqualTo(new long[] { 2, spec.FeatureChannels }));
            Assert.That(spec.OutputChannels, Is.EqualTo(spec.FeatureChannels));
            Assert.That((output - pooled).abs().max().item<float>(), Is.Zero);
            Assert.That(network.named_parameters().Count(p => p.name.StartsWith("classifier", StringComparison.Ordinal)), Is.Zero, "no classifier parameters");
        });
    }

    [TestCaseSource(nameof(Specs))]
    public void Analysis_CountsWhatTheModuleHolds(NetworkSpec spec)
    {
        using var network = new ConvNetwork(spec);

        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);
        IReadOnlyDictionary<string, long> measured = MultiplyAccumulateCounter.Count(network, [1, spec.InputChannels, spec.Resolution, spec.Resolution]);

        Assert.Multiple(() =>
        {
            Assert.That(analysis.Parameters, Is.EqualTo(ModuleInspection.ParameterCount(network)));
            Assert.That(analysis.Layers.Select(l => l.Path), Is.EquivalentTo(measured.Keys));
            Assert.That(analysis.Layers.Select(l => l.Kind), Has.None.EqualTo(LayerKind.Linear));
            Assert.That(analysis.Parts[^1].Name, Is.EqualTo("pooling"));
        });
    }

    [TestCaseSource(nameof(Specs))]
    public void KeyLayout_ListsExactlyTheStateDictKeys(NetworkSpec spec)
    {
        using var network = new ConvNetwork(spec);

        Assert.That(KeyMapping.ToLayout(spec, KeyLayout.Torchvision).Keys, Is.EquivalentTo(network.state_dict().Keys));
    }

    [Test]
    public void InferenceCopyAndOnnxRuntime_GiveTheSameFeatures()
    {
        NetworkSpec spec = new MobileNetV2Builder().WithWidth(0.35).WithResolution(64).WithNumClasses(0).BuildSpec();
        using ConvNetwork network = RandomStatistics.Network(spec);
        network.eval();
        using InferenceNetwork prepared = network.ForInference();
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([2, 3, 64, 64], generator: new torch.Generator(9));
        Tensor expected;
        using (torch.no_grad())
        {
            expected = network.call(input);
        }

        using var stream = new MemoryStream();
        network.ExportOnnx(stream, new OnnxExportOptions { OutputName = "features" });
        using var session = OnnxRuntimeRun.Session(stream.ToArray());
        Tensor fromOnnx = OnnxRuntimeRun.Run(session, input);
        float tolerance = 1e-4f * expected.abs().max().item<float>();

        Assert.Multiple(() =>
        {
            Assert.That((prepared.call(input) - expected).abs().max().item<float>(), Is.LessThan(tolerance));
            Assert.That(fromOnnx.shape, Is.EqualTo(new long[] { 2, spec.FeatureChannels }));
            Assert.That((fromOnnx - expected).abs().max().item<float>(), Is.LessThan(tolerance));
            Assert.That(session.OutputMetadata.Keys, Is.EqualTo(new[] { "features" }));
            Assert.That(() => network.ExportOnnx(new MemoryStream(), new OnnxExportOptions { IncludeSoftmax = true }), Throws.ArgumentException.With.Message.Contains("headless"));
        });
    }

    [Test]
    public void ImageClassifier_RefusesAHeadlessNetwork()
    {
        using var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithResolution(64).WithNumClasses(0).BuildSpec());

        Assert.That(
            () => new ImageClassifier(network, EvalTransform.ImageNet(73, 64, Interpolation.Bilinear)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("model").And.Message.Contains("headless"));
    }

    [Test]
    public void ResetClassifier_RemovesAndRestoresTheClassifier()
    {
        using var network = new ConvNetwork(new MobileNetV3Builder().WithWidth(0.5).WithResolution(64).BuildSpec());
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([1, 3, 64, 64]);
        network.eval();

        network.ResetClassifier(0);
        long[] headlessShape = network.call(input).shape;
        bool anyClassifierKey = network.state_dict().Keys.Any(k => k.StartsWith("classifier", StringComparison.Ordinal));
        network.ResetClassifier(7);

        Assert.Multiple(() =>
        {
            Assert.That(headlessShape, Is.EqualTo(new long[] { 1, network.Spec.FeatureChannels }), "MobileNetV3's hidden layer goes with the classifier");
            Assert.That(anyClassifierKey, Is.False);
            Assert.That(network.call(input).shape, Is.EqualTo(new long[] { 1, 7 }));
            Assert.That(KeyMapping.ToLayout(network.Spec, KeyLayout.Torchvision).Keys, Is.EquivalentTo(network.state_dict().Keys));
        });
    }
}
