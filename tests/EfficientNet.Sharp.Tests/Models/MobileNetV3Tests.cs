using System.Text.Json;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Models;

/// <summary>
/// MobileNetV3 against the real Python torchvision 0.21 (../shared/testdata/torchvision-reference: random weights
/// and BatchNorm statistics, an input and torchvision's output) and against TorchSharp's own TorchVision port.
/// </summary>
public class MobileNetV3Tests
{
    private static IEnumerable<TestCaseData> Variants()
    {
        yield return new TestCaseData("mobilenet_v3_large", new MobileNetV3Builder().BuildSpec()).SetName("{m}_Large");
        yield return new TestCaseData("mobilenet_v3_small", new MobileNetV3Builder().Small().BuildSpec()).SetName("{m}_Small");
    }

    [TestCaseSource(nameof(Variants))]
    public void KeysShapesAndParameters_EqualTorchvisions(string name, NetworkSpec spec)
    {
        JsonElement entry = TorchvisionReference.Entry(name);
        using var network = new ConvNetwork(spec);
        Dictionary<string, long[]> ours = ModuleInspection.StateDictShapes(network);
        Dictionary<string, long[]> theirs = TorchvisionReference.Shapes(name);

        Assert.Multiple(() =>
        {
            Assert.That(ours.Keys, Is.EquivalentTo(theirs.Keys));
            foreach ((string key, long[] shape) in theirs)
            {
                Assert.That(ours.GetValueOrDefault(key), Is.EqualTo(shape), key);
            }

            Assert.That(ModuleInspection.ParameterCount(network), Is.EqualTo(entry.GetProperty("parameters").GetInt64()));
            Assert.That(NetworkAnalyzer.Analyze(spec).Parameters, Is.EqualTo(entry.GetProperty("parameters").GetInt64()), "spec analysis");
        });
    }

    [TestCaseSource(nameof(Variants))]
    public void TorchvisionsWeights_ReproduceTorchvisionsOutput_EagerAndPrepared(string name, NetworkSpec spec)
    {
        using var network = new ConvNetwork(spec);
        TorchvisionReference.AssertReproduces(network, name);
    }

    /// <summary>torchvision's published cost: 0.217 and 0.057 GFLOPS (multiply-accumulates) at 224 px.</summary>
    [TestCase(false, 0.217)]
    [TestCase(true, 0.057)]
    public void MultiplyAccumulates_EqualTorchvisionsPublishedFigure(bool small, double gigaMacs)
    {
        NetworkSpec spec = small ? new MobileNetV3Builder().Small().BuildSpec() : new MobileNetV3Builder().BuildSpec();
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);
        Assert.That(Math.Round(analysis.GigaMultiplyAccumulates, 3), Is.EqualTo(gigaMacs));

        // The forward-hook counter on the built network agrees layer by layer.
        using var network = new ConvNetwork(spec);
        IReadOnlyDictionary<string, long> counted = MultiplyAccumulateCounter.Count(network, [1, 3, 224, 224]);
        foreach (LayerCost layer in analysis.Layers)
        {
            Assert.That(counted.GetValueOrDefault(layer.Path), Is.EqualTo(layer.MultiplyAccumulates), layer.Path);
        }
    }

    /// <summary>TorchSharp's TorchVision port builds the same networks: same keys, and with its weights copied in, the same outputs.</summary>
    [TestCase(false)]
    [TestCase(true)]
    public void TorchSharpsTorchVision_GivesTheSameOutputs(bool small)
    {
        using var reference = small ? torchvision.models.mobilenet_v3_small() : torchvision.models.mobilenet_v3_large();
        using ConvNetwork ours = (small ? new MobileNetV3Builder().Small() : new MobileNetV3Builder()).Build();
        Assert.That(ModuleInspection.StateDictShapes(ours).Keys, Is.EquivalentTo(ModuleInspection.StateDictShapes(reference).Keys));
        ours.load_state_dict(reference.state_dict());
        ours.eval();
        reference.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor input = torch.randn([2, 3, 128, 160], generator: new torch.Generator(3));
        Tensor expected = reference.call(input);
        Tensor actual = ours.call(input);
        Assert.That((actual - expected).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-5f * Math.Max(1f, expected.abs().max().item<float>())));
    }

    /// <summary>
    /// Python torchvision 0.21's parameter counts at other widths (<c>mobilenet_v3_large(width_mult=0.75)</c> and
    /// <c>mobilenet_v3_small(width_mult=0.5)</c>, printed on this project's machine): every channel count is rounded
    /// as torchvision rounds it.
    /// </summary>
    [TestCase(false, 0.75, 3_377_576L)]
    [TestCase(true, 0.5, 917_264L)]
    public void ParameterCountAtAnotherWidth_EqualsTorchvisions(bool small, double width, long parameters)
    {
        MobileNetV3Builder builder = new MobileNetV3Builder().WithWidth(width);
        using ConvNetwork ours = (small ? builder.Small() : builder).Build();
        Assert.That(ModuleInspection.ParameterCount(ours), Is.EqualTo(parameters));
    }
}
