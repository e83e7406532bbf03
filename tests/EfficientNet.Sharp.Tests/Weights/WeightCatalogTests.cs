using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Tests.Weights;

public class WeightCatalogTests
{
    private static IEnumerable<TestCaseData> Entries() => WeightCatalog.All.Select(w => new TestCaseData(w).SetName($"{{m}}_{w.Name}"));

    [TestCaseSource(nameof(Entries))]
    public void FileName_CarriesThePrefixOfItsHash(PretrainedWeights weights)
    {
        // torch.hub's rule: the hex run after the last '-' of the name starts the file's SHA-256.
        string stem = Path.GetFileNameWithoutExtension(weights.FileName);
        string suffix = stem[(stem.LastIndexOf('-') + 1)..];

        Assert.That(weights.Sha256, Does.StartWith(suffix));
        Assert.That(weights.Sha256, Does.Match("^[0-9a-f]{8}([0-9a-f]{56})?$"));
    }

    [TestCaseSource(nameof(Entries))]
    public void PublishedFigures_MatchTheArchitecture(PretrainedWeights weights)
    {
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(weights.Architecture, weights.Transform.CropSize);

        if (weights.GigaFlops is double gigaFlops)
        {
            Assert.That(analysis.GigaMultiplyAccumulates, Is.EqualTo(gigaFlops).Within(1).Percent);
        }

        // The smallest catalog network is MobileNetV3-Small, 2,542,856 parameters.
        Assert.That(analysis.Parameters, Is.GreaterThan(2_500_000));
        Assert.That(weights.Transform.CropSize, Is.LessThanOrEqualTo(weights.Transform.ResizeSize));
    }

    [Test]
    public void TorchvisionCatalog_UsesTheRenamedFilesAndFullHashes()
    {
        Assert.That(EfficientNetWeights.B0_ImageNet1K_V1.FileName, Is.EqualTo("efficientnet_b0_rwightman-7f5810bc.pth"));
        Assert.That(EfficientNetWeights.B7_ImageNet1K_V1.Sha256, Is.EqualTo("c5b4e57e0da1a10bb4f8a5b410dd3b7b6e7461f9b757209be29409707c3d87dd"));
        Assert.That(EfficientNetWeights.All.Count(w => w.HasFullSha256), Is.EqualTo(7), "B0 and B2–B7 have published digests");
        Assert.That(EfficientNetWeights.Default(1), Is.SameAs(EfficientNetWeights.B1_ImageNet1K_V2));
        Assert.That(EfficientNetWeights.B5_ImageNet1K_V1.Architecture.BatchNorm, Is.EqualTo(BatchNormSpec.TensorFlowPorted));
        Assert.That(MobileNetV2Weights.ImageNet1K_V2.Transform.ResizeSize, Is.EqualTo(232));
        Assert.That(MobileNetV3Weights.Large_ImageNet1K_V2.Transform.ResizeSize, Is.EqualTo(232));
        Assert.That(MobileNetV3Weights.Small_ImageNet1K_V1.Architecture.Classifier.HiddenChannels, Is.EqualTo(1024));
        Assert.That(EfficientNetV2Weights.L_ImageNet1K_V1.Transform.Mean, Is.EqualTo(new[] { 0.5f, 0.5f, 0.5f }));
        Assert.That(EfficientNetV2Weights.M_ImageNet1K_V1.Architecture.BatchNorm, Is.EqualTo(new BatchNormSpec(1e-3, 0.1)));
    }

    [Test]
    public void LukemelasPorts_NeedTensorFlowPaddingAndTheirKeyLayout()
    {
        Assert.That(LukemelasWeights.All.Select(w => w.Architecture.Padding), Is.All.EqualTo(PaddingMode.TensorFlowSame));
        Assert.That(LukemelasWeights.All.Select(w => w.Layout), Is.All.EqualTo(KeyLayout.Lukemelas));
        Assert.That(LukemelasWeights.Get(0).FileName, Is.EqualTo("efficientnet-b0-355c32eb.pth"));
    }

    [Test]
    public void Find_ByNameOrFileName()
    {
        Assert.That(WeightCatalog.Find("efficientnet_b3.imagenet1k_v1"), Is.SameAs(EfficientNetWeights.B3_ImageNet1K_V1));
        Assert.That(WeightCatalog.Find("mobilenet_v2-7ebf99e0.pth"), Is.SameAs(MobileNetV2Weights.ImageNet1K_V2));
        Assert.That(WeightCatalog.Find("MobileNetV3_Small.ImageNet1K_V1"), Is.SameAs(MobileNetV3Weights.Small_ImageNet1K_V1));
        Assert.That(() => WeightCatalog.Find("resnet50"), Throws.InstanceOf<KeyNotFoundException>().With.Message.Contain("EfficientNet_B0.ImageNet1K_V1"));
    }
}
