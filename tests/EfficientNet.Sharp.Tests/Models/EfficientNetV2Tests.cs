using System.Text.Json;
using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Tests.Models;

/// <summary>
/// EfficientNetV2 S, M and L against the real Python torchvision 0.21 (../shared/testdata/torchvision-reference:
/// V2-S with random weights, BatchNorm statistics, an input and torchvision's output; V2-M and L as key and shape
/// manifests) and torchvision's published multiply-accumulates.
/// </summary>
public class EfficientNetV2Tests
{
    private static IEnumerable<TestCaseData> Sizes()
    {
        yield return new TestCaseData("efficientnet_v2_s", new EfficientNetV2Builder().BuildSpec(), 8.366).SetName("{m}_S");
        yield return new TestCaseData("efficientnet_v2_m", new EfficientNetV2Builder().Medium().BuildSpec(), 24.582).SetName("{m}_M");
        yield return new TestCaseData("efficientnet_v2_l", new EfficientNetV2Builder().Large().BuildSpec(), 56.080).SetName("{m}_L");
    }

    /// <summary>From the spec alone (no tensors): every state-dict key, the parameter count and the published cost.</summary>
    [TestCaseSource(nameof(Sizes))]
    public void KeysParametersAndMultiplyAccumulates_EqualTorchvisions(string name, NetworkSpec spec, double gigaMacs)
    {
        JsonElement entry = TorchvisionReference.Entry(name);
        IEnumerable<string> theirs = entry.GetProperty("keys").EnumerateArray().Select(key => key[0].GetString()!);
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);
        Assert.Multiple(() =>
        {
            Assert.That(KeyMapping.ToLayout(spec, KeyLayout.Torchvision).Keys, Is.EquivalentTo(theirs));
            Assert.That(analysis.Parameters, Is.EqualTo(entry.GetProperty("parameters").GetInt64()));
            Assert.That(Math.Round(analysis.GigaMultiplyAccumulates, 3), Is.EqualTo(gigaMacs), $"at {spec.Resolution} px");
        });
    }

    /// <summary>The built modules (S and M; L is the same code at 118 M parameters): shapes equal torchvision's, key by key.</summary>
    [TestCase("efficientnet_v2_s", false)]
    [TestCase("efficientnet_v2_m", true)]
    public void BuiltNetwork_HasTorchvisionsShapes(string name, bool medium)
    {
        JsonElement entry = TorchvisionReference.Entry(name);
        using ConvNetwork network = (medium ? new EfficientNetV2Builder().Medium() : new EfficientNetV2Builder()).Build();
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
        });
    }

    [Test]
    public void TorchvisionsWeights_ReproduceTorchvisionsOutput_EagerAndPrepared()
    {
        using ConvNetwork network = new EfficientNetV2Builder().Build();
        TorchvisionReference.AssertReproduces(network, "efficientnet_v2_s");
    }

    [Test]
    public void HookCounter_AgreesWithTheSpecAnalysis_LayerByLayer()
    {
        NetworkSpec spec = new EfficientNetV2Builder().WithResolution(128).BuildSpec();
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);
        using var network = new ConvNetwork(spec);
        IReadOnlyDictionary<string, long> counted = MultiplyAccumulateCounter.Count(network, [1, 3, 128, 128]);
        Assert.That(counted.Keys, Is.EquivalentTo(analysis.Layers.Select(layer => layer.Path)));
        foreach (LayerCost layer in analysis.Layers)
        {
            Assert.That(counted[layer.Path], Is.EqualTo(layer.MultiplyAccumulates), layer.Path);
        }
    }

    /// <summary>timm's <c>feature_info</c> for efficientnetv2_s: 24, 48, 64, 160, 256 channels at reductions 2 to 32.</summary>
    [Test]
    public void FeatureInfo_MatchesTimm()
    {
        IReadOnlyList<FeatureLevel> info = new EfficientNetV2Builder().BuildSpec().FeatureInfo;
        Assert.That(info.Select(level => (level.Channels, level.Reduction)), Is.EqualTo(new[] { (24, 2), (48, 4), (64, 8), (160, 16), (256, 32) }));
    }
}
