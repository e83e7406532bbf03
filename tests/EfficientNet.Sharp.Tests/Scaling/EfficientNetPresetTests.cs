using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Scaling;

/// <summary>Integer φ against the published B0–B7 tables (architecture-facts §1.2 and torchvision's num_params).</summary>
public class EfficientNetPresetTests
{
    private static readonly object[] Published =
    [
        new object[] { 0, 5_288_548L, 224, 0.2, 32, new[] { 16, 24, 40, 80, 112, 192, 320 }, new[] { 1, 2, 2, 3, 3, 4, 1 }, 1280 },
        new object[] { 1, 7_794_184L, 240, 0.2, 32, new[] { 16, 24, 40, 80, 112, 192, 320 }, new[] { 2, 3, 3, 4, 4, 5, 2 }, 1280 },
        new object[] { 2, 9_109_994L, 260, 0.3, 32, new[] { 16, 24, 48, 88, 120, 208, 352 }, new[] { 2, 3, 3, 4, 4, 5, 2 }, 1408 },
        new object[] { 3, 12_233_232L, 300, 0.3, 40, new[] { 24, 32, 48, 96, 136, 232, 384 }, new[] { 2, 3, 3, 5, 5, 6, 2 }, 1536 },
        new object[] { 4, 19_341_616L, 380, 0.4, 48, new[] { 24, 32, 56, 112, 160, 272, 448 }, new[] { 2, 4, 4, 6, 6, 8, 2 }, 1792 },
        new object[] { 5, 30_389_784L, 456, 0.4, 48, new[] { 24, 40, 64, 128, 176, 304, 512 }, new[] { 3, 5, 5, 7, 7, 9, 3 }, 2048 },
        new object[] { 6, 43_040_704L, 528, 0.5, 56, new[] { 32, 40, 72, 144, 200, 344, 576 }, new[] { 3, 6, 6, 8, 8, 11, 3 }, 2304 },
        new object[] { 7, 66_347_960L, 600, 0.5, 64, new[] { 32, 48, 80, 160, 224, 384, 640 }, new[] { 4, 7, 7, 10, 10, 13, 4 }, 2560 },
    ];

    [TestCaseSource(nameof(Published))]
    public void Spec_MatchesThePublishedTable(int phi, long _, int resolution, double dropout, int stem, int[] stageChannels, int[] repeats, int head)
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(phi).BuildSpec();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(spec.Name, Is.EqualTo($"efficientnet_b{phi}"));
            Assert.That(spec.Resolution, Is.EqualTo(resolution));
            Assert.That(spec.Classifier.Dropout, Is.EqualTo(dropout));
            Assert.That(spec.Stem.OutChannels, Is.EqualTo(stem));
            Assert.That(spec.Stages.Select(s => s.OutChannels), Is.EqualTo(stageChannels));
            Assert.That(spec.Stages.Select(s => s.Repeats), Is.EqualTo(repeats));
            Assert.That(spec.Head!.OutChannels, Is.EqualTo(head));
            Assert.That(spec.Scaling!.Rule, Is.EqualTo(ScalingRule.PublishedLadder));
        }
    }

    [TestCaseSource(nameof(Published))]
    public void BuiltModule_HasTorchvisionsParameterCount(int phi, long parameters, int _, double __, int ___, int[] ____, int[] _____, int ______)
    {
        using var model = new EfficientNetBuilder().WithPhi(phi).Build();

        Assert.That(ModuleInspection.ParameterCount(model), Is.EqualTo(parameters));
    }

    [TestCaseSource(nameof(Published))]
    public void HeadRule_AgreesWithTorchvisionsFourTimesLastStage(int phi, long _, int __, double ___, int ____, int[] stageChannels, int[] _____, int head)
    {
        // The two published head rules (round_filters(1280·w) and 4 × last stage) coincide on B0–B7.
        Assert.That(head, Is.EqualTo(4 * stageChannels[^1]));
        Assert.That(new EfficientNetBuilder().WithPhi(phi).BuildSpec().Head!.OutChannels, Is.EqualTo(4 * stageChannels[^1]));
    }

    [Test]
    public void HeadRule_OffTheLadderScalesWithWidth()
    {
        // w = 1.01: round_filters(1292.8) = 1296, whereas torchvision's 4 × 320 would give 1280.
        NetworkSpec spec = new EfficientNetBuilder().WithWidth(1.01).BuildSpec();

        Assert.That(spec.Stages[^1].OutChannels, Is.EqualTo(320));
        Assert.That(spec.Head!.OutChannels, Is.EqualTo(1296));
    }

    [TestCase(0, 1e-5, 0.1)]
    [TestCase(4, 1e-5, 0.1)]
    [TestCase(5, 1e-3, 0.01)]
    [TestCase(7, 1e-3, 0.01)]
    public void BatchNorm_FollowsTorchvisionPerVariant(int phi, double epsilon, double momentum)
    {
        using var model = new EfficientNetBuilder().WithPhi(phi).WithResolution(64).Build();
        BatchNormLayer[] norms = model.modules().OfType<BatchNormLayer>().ToArray();

        Assert.That(norms, Is.Not.Empty);
        Assert.That(norms.Select(n => n.Epsilon), Is.All.EqualTo(epsilon));
        Assert.That(norms.Select(n => n.Momentum), Is.All.EqualTo(momentum));
    }

    [Test]
    public void B0_BlocksMatchTheReferencePerBlockTable()
    {
        // architecture-facts §2.3: (in, expanded, squeeze, out, kernel, stride, residual, stochastic depth p) per block.
        (int In, int Exp, int Se, int Out, int K, int S, bool Res, double P)[] table =
        [
            (32, 32, 8, 16, 3, 1, false, 0.0), (16, 96, 4, 24, 3, 2, false, 0.0125), (24, 144, 6, 24, 3, 1, true, 0.025),
            (24, 144, 6, 40, 5, 2, false, 0.0375), (40, 240, 10, 40, 5, 1, true, 0.05), (40, 240, 10, 80, 3, 2, false, 0.0625),
            (80, 480, 20, 80, 3, 1, true, 0.075), (80, 480, 20, 80, 3, 1, true, 0.0875), (80, 480, 20, 112, 5, 1, false, 0.1),
            (112, 672, 28, 112, 5, 1, true, 0.1125), (112, 672, 28, 112, 5, 1, true, 0.125), (112, 672, 28, 192, 5, 2, false, 0.1375),
            (192, 1152, 48, 192, 5, 1, true, 0.15), (192, 1152, 48, 192, 5, 1, true, 0.1625), (192, 1152, 48, 192, 5, 1, true, 0.175),
            (192, 1152, 48, 320, 3, 1, false, 0.1875),
        ];

        var actual = new EfficientNetBuilder().BuildSpec().Blocks
            .Select(b => (b.InChannels, b.ExpandedChannels, b.SqueezeChannels, b.OutChannels, b.KernelSize, b.Stride, b.HasResidual, b.StochasticDepthProbability))
            .ToArray();

        Assert.That(actual, Has.Length.EqualTo(table.Length));
        for (int i = 0; i < table.Length; i++)
        {
            var row = table[i];
            Assert.That(actual[i].Item1, Is.EqualTo(row.In), $"block {i} in");
            Assert.That(actual[i].Item2, Is.EqualTo(row.Exp), $"block {i} expanded");
            Assert.That(actual[i].Item3, Is.EqualTo(row.Se), $"block {i} squeeze");
            Assert.That(actual[i].Item4, Is.EqualTo(row.Out), $"block {i} out");
            Assert.That(actual[i].Item5, Is.EqualTo(row.K), $"block {i} kernel");
            Assert.That(actual[i].Item6, Is.EqualTo(row.S), $"block {i} stride");
            Assert.That(actual[i].Item7, Is.EqualTo(row.Res), $"block {i} residual");
            Assert.That(actual[i].Item8, Is.EqualTo(row.P).Within(1e-12), $"block {i} stochastic depth");
        }
    }
}
