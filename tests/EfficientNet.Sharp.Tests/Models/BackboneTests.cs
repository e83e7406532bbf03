using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Models;

/// <summary>
/// The backbone API: feature levels as timm's <c>features_only</c> models report them, multi-scale feature maps
/// in one pass, freezing and a new classifier.
/// </summary>
public class BackboneTests
{
    /// <summary>
    /// timm's <c>feature_info</c> (channels, reduction) for the same architectures, written down from timm's builder:
    /// a feature is taken at the last block of a stage when the next stage strides or no stage follows.
    /// efficientnet_b0: blocks.0/1/2/4/6; efficientnet_b3: the same stages at width 1.2; mobilenetv2_100 and
    /// mobilenetv1_100 likewise. timm's MobileNetV3s end their blocks with the 1 × 1 head convolution
    /// (<c>cn_r1_k1_s1_c960</c>), and Small's first block strides, so its stem is the first level.
    /// </summary>
    private static IEnumerable<TestCaseData> TimmFeatureInfo()
    {
        yield return new TestCaseData(new EfficientNetBuilder().BuildSpec(), new[] { 16, 24, 40, 112, 320 }, new[] { "features.1", "features.2", "features.3", "features.5", "features.7" }).SetName("{m}_B0");
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(3).BuildSpec(), new[] { 24, 32, 48, 136, 384 }, new[] { "features.1", "features.2", "features.3", "features.5", "features.7" }).SetName("{m}_B3");
        yield return new TestCaseData(new MobileNetV2Builder().BuildSpec(), new[] { 16, 24, 32, 96, 320 }, new[] { "features.1", "features.3", "features.6", "features.13", "features.17" }).SetName("{m}_MobileNetV2");
        yield return new TestCaseData(new MobileNetV3Builder().BuildSpec(), new[] { 16, 24, 40, 112, 960 }, new[] { "features.1", "features.3", "features.6", "features.12", "features.16" }).SetName("{m}_MobileNetV3Large");
        yield return new TestCaseData(new MobileNetV3Builder().Small().BuildSpec(), new[] { 16, 16, 24, 48, 576 }, new[] { "features.0", "features.1", "features.3", "features.8", "features.12" }).SetName("{m}_MobileNetV3Small");
        yield return new TestCaseData(new MobileNetV1Builder().BuildSpec(), new[] { 64, 128, 256, 512, 1024 }, new[] { "features.1", "features.3", "features.5", "features.11", "features.13" }).SetName("{m}_MobileNetV1");
    }

    [TestCaseSource(nameof(TimmFeatureInfo))]
    public void FeatureInfo_MatchesTimm(NetworkSpec spec, int[] channels, string[] paths)
    {
        IReadOnlyList<FeatureLevel> info = spec.FeatureInfo;
        Assert.Multiple(() =>
        {
            Assert.That(info.Select(level => level.Channels), Is.EqualTo(channels));
            Assert.That(info.Select(level => level.Reduction), Is.EqualTo(new[] { 2, 4, 8, 16, 32 }));
            Assert.That(info.Select(level => level.Index), Is.EqualTo(Enumerable.Range(0, channels.Length)));
            Assert.That(info.Select(level => level.ModulePath), Is.EqualTo(paths));
        });

        // Every path names a real module of the built network.
        using var network = new ConvNetwork(spec);
        var modules = network.named_modules().Select(m => m.name).ToHashSet();
        Assert.That(paths, Is.SubsetOf(modules));
    }

    [Test]
    public void TheStemIsALevel_WhenTheFirstBlockStridesAgain()
    {
        NetworkSpec spec = new EfficientNetBuilder().BuildSpec();
        spec = spec with { Stages = [spec.Stages[0] with { Stride = 2 }, .. spec.Stages.Skip(1)] };
        IReadOnlyList<FeatureLevel> info = spec.FeatureInfo;
        Assert.That(info[0], Is.EqualTo(new FeatureLevel(0, "features.0", spec.Stem.OutChannels, 2)));
        Assert.That(info[1].Reduction, Is.EqualTo(4));
    }

    [Test]
    public void ForwardFeatures_GivesEachLevelAtItsReduction_OnANonSquareInput()
    {
        using ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().BuildSpec());
        network.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor input = torch.randn([2, 3, 200, 136], generator: new torch.Generator(4));

        Tensor[] maps = network.ForwardFeatures(input, [4, 0, 2]);

        Assert.That(maps.Select(m => m.shape), Is.EqualTo(new[]
        {
            new long[] { 2, 320, 7, 5 },
            new long[] { 2, 16, 100, 68 },
            new long[] { 2, 40, 25, 17 },
        }));

        // The deepest level through the head convolution is what the plain feature extractor returns.
        var head = (nn.Module<Tensor, Tensor>)network.Features.children().Last();
        Tensor throughHead = head.call(maps[0]);
        Tensor expected = network.ForwardFeatures(input);
        Assert.That((throughHead - expected).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-5f * expected.abs().max().item<float>()));
    }

    [Test]
    public void ForwardFeatures_OfThePreparedCopy_EqualsTheOriginal()
    {
        using ConvNetwork network = RandomStatistics.Network(new MobileNetV2Builder().BuildSpec());
        network.eval();
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([1, 3, 160, 192], generator: new torch.Generator(8));
        Tensor[] expected;
        using (torch.no_grad())
        {
            expected = network.ForwardFeatures(input, [0, 1, 2, 3, 4]);
        }

        foreach (bool channelsLast in new[] { false, true })
        {
            using InferenceNetwork prepared = network.ForInference(channelsLast);
            Tensor[] actual = prepared.ForwardFeatures(input, [0, 1, 2, 3, 4]);
            for (int i = 0; i < expected.Length; i++)
            {
                double scale = expected[i].abs().max().item<float>();
                Assert.That((actual[i] - expected[i]).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-4 * scale), $"level {i}, channels-last {channelsLast}");
            }
        }
    }

    [TestCase(new int[0], TestName = "ForwardFeatures_RefusesNoLevels")]
    [TestCase(new[] { 5 }, TestName = "ForwardFeatures_RefusesAMissingLevel")]
    [TestCase(new[] { -1 }, TestName = "ForwardFeatures_RefusesANegativeLevel")]
    [TestCase(new[] { 1, 1 }, TestName = "ForwardFeatures_RefusesARepeatedLevel")]
    public void ForwardFeatures_RefusesBadLevels(int[] levels)
    {
        using var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).BuildSpec());
        using Tensor input = torch.zeros(1, 3, 64, 64);
        ArgumentException? error = Assert.Throws<ArgumentException>(() => network.ForwardFeatures(input, levels));
        Assert.That(error!.ParamName, Is.EqualTo("levels"));
    }

    [Test]
    public void FrozenStages_GetNoGradient_AndKeepTheirBatchNormStatistics()
    {
        using ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().WithWidth(0.5).WithDepth(0.5).WithResolution(64).BuildSpec());
        network.FreezeStages(2);
        network.train();
        int frozenChildren = network.FeatureInfo[1].FeaturesChild + 1;
        Dictionary<string, Tensor> before = network.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.clone());

        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([4, 3, 64, 64], generator: new torch.Generator(2));
        network.call(input).square().mean().backward();

        Assert.Multiple(() =>
        {
            Assert.That(network.FrozenStages, Is.EqualTo(2));
            foreach ((string name, Parameter parameter) in network.named_parameters())
            {
                bool frozen = IsUnder(name, frozenChildren);
                Assert.That(parameter.requires_grad, Is.EqualTo(!frozen), name);
                Assert.That(parameter.grad is null, Is.EqualTo(frozen), $"{name} gradient");
            }

            foreach ((string name, Tensor value) in network.state_dict().Where(pair => pair.Key.Contains("running_mean")))
            {
                bool unchanged = Same(value, before[name]);
                Assert.That(unchanged, Is.EqualTo(IsUnder(name, frozenChildren)), $"{name} after a training-mode forward pass");
            }

            foreach ((string name, nn.Module module) in network.named_modules().Where(m => m.name.StartsWith("features.", StringComparison.Ordinal)))
            {
                Assert.That(module.training, Is.EqualTo(!IsUnder(name, frozenChildren)), $"{name} mode");
            }
        });

        network.Unfreeze();
        Assert.That(network.parameters().All(p => p.requires_grad), Is.True);
        Assert.That(network.modules().All(m => m.training), Is.True, "unfrozen layers follow the network's training mode");
    }

    [Test]
    public void FrozenBatchNorm_StaysInEvalModeThroughTrainCallsAndKeepsItsStatistics()
    {
        using ConvNetwork network = RandomStatistics.Network(new MobileNetV2Builder().WithWidth(0.35).WithResolution(64).BuildSpec());
        BatchNormLayer[] norms = [.. network.modules().OfType<BatchNormLayer>()];
        Tensor[] before = [.. norms.Select(n => n.RunningMean.clone())];

        network.BatchNormFrozen = true;
        network.train();
        network.eval();
        network.train();
        using (torch.no_grad())
        {
            network.call(torch.randn([4, 3, 64, 64], generator: new torch.Generator(1))).Dispose();
        }

        bool dropoutTrains = network.Classifier.training;
        bool anyNormTrained = norms.Any(n => n.training);
        float drift = norms.Zip(before, (n, b) => (n.RunningMean - b).abs().max().item<float>()).Max();
        network.BatchNormFrozen = false;

        Assert.Multiple(() =>
        {
            Assert.That(anyNormTrained, Is.False, "every BatchNorm stays in eval mode");
            Assert.That(dropoutTrains, Is.True, "the rest of the network trains");
            Assert.That(drift, Is.Zero, "running statistics do not move");
            Assert.That(norms.All(n => n.training), Is.True, "unfreezing hands BatchNorm back to the network's mode");
            Assert.That(network.parameters().All(p => p.requires_grad), Is.True, "γ and β still train");
        });
    }

    [Test]
    public void FreezeStages_RefusesMoreLevelsThanTheNetworkHas()
    {
        using var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).BuildSpec());
        Assert.Multiple(() =>
        {
            Assert.That(() => network.FreezeStages(6), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("levels"));
            Assert.That(() => network.FreezeStages(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void ResetClassifier_ReplacesOnlyTheClassifier()
    {
        using ConvNetwork network = RandomStatistics.Network(new MobileNetV2Builder().WithWidth(0.35).WithResolution(96).BuildSpec());
        network.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor input = torch.randn([3, 3, 96, 96], generator: new torch.Generator(6));
        Tensor featuresBefore = network.ForwardFeatures(input);

        network.ResetClassifier(10);

        Tensor logits = network.call(input);
        Dictionary<string, Tensor> state = network.state_dict();
        Assert.Multiple(() =>
        {
            Assert.That(logits.shape, Is.EqualTo(new long[] { 3, 10 }));
            Assert.That(network.Spec.Classifier.NumClasses, Is.EqualTo(10));
            Assert.That(state["classifier.1.weight"].shape, Is.EqualTo(new long[] { 10, network.Spec.FeatureChannels }));
            Assert.That(network.named_parameters().Count(p => p.name.StartsWith("classifier.", StringComparison.Ordinal)), Is.EqualTo(2), "an optimizer sees the new classifier");
            Assert.That(Same(network.ForwardFeatures(input), featuresBefore), Is.True, "the feature extractor is untouched");
            Assert.That(network.Classifier.training, Is.False, "the new classifier follows the network's mode");
            Assert.That(() => network.ResetClassifier(-1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("numClasses"));
        });
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using Tensor equal = a.eq(b);
        using Tensor all = equal.all();
        return all.item<bool>();
    }

    /// <summary>Whether a parameter, buffer or module path lies in one of the first <paramref name="children"/> children of <c>features</c>.</summary>
    private static bool IsUnder(string path, int children)
    {
        string[] parts = path.Split('.');
        return parts[0] == "features" && int.Parse(parts[1]) < children;
    }
}
