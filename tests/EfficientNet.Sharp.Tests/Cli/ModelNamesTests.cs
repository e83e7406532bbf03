using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary>The model registry as the CLI exposes it: <c>effnet models</c> and <c>--model NAME</c> on every network command.</summary>
public class ModelNamesTests
{
    [Test]
    public void Models_ListsEveryRegisteredNameWithItsPublishedFigures()
    {
        EffnetResult result = Effnet.Run("models");

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.Multiple(() =>
        {
            foreach (RegisteredModel model in ModelRegistry.All)
            {
                Assert.That(result.Output, Does.Contain(model.Name));
            }

            Assert.That(result.Output, Does.Contain("5,483,032"), "MobileNetV3-Large's parameters");
            Assert.That(result.Output, Does.Contain("21,458,488"), "EfficientNetV2-S's parameters");
            Assert.That(result.Output, Does.Contain("MobileNetV3_Large.ImageNet1K_V2"));
        });
    }

    [TestCase("efficientnet_b3", "12,233,232")]
    [TestCase("b3", "12,233,232")]
    [TestCase("mobilenet_v3_small", "2,542,856")]
    [TestCase("mobilenet-v3-small", "2,542,856")]
    [TestCase("efficientnet_v2_m", "54,139,356")]
    [TestCase("mobilenet_v2", "3,504,872")]
    [TestCase("efficientnet_lite0", "4,652,008")]
    public void Summary_AcceptsEveryRegisteredSpelling(string name, string parameters)
    {
        EffnetResult result = Effnet.Run("summary", "--model", name);

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.That(result.Output, Does.Contain(parameters));
    }

    [TestCase("resnet50", "effnet models", "Unknown --model")]
    [TestCase("mobilenet_v1 --phi 2", "--phi", "efficientnet only")]
    [TestCase("mobilenet_v2 --depth 2", "--depth", "EfficientNet and EfficientNetV2 models have one")]
    [TestCase("efficientnet_lite2 --width 2", "--width", "EfficientNet-Lite's variants are fixed")]
    public void Summary_RefusesUnknownNamesAndOptionsTheModelDoesNotTake(string arguments, string named, string reason)
    {
        EffnetResult result = Effnet.Run(["summary", "--model", .. arguments.Split(' ')]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output);
        Assert.That(result.Errors, Does.Contain(named));
        Assert.That(result.Errors, Does.Contain(reason));
    }

    [Test]
    public void Registry_GivesTorchvisionsDefaultWeightsFirst()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ModelRegistry.Get("b1").DefaultWeights!.Name, Is.EqualTo("EfficientNet_B1.ImageNet1K_V2"));
            Assert.That(ModelRegistry.Get("mobilenet_v3_large").DefaultWeights!.Name, Is.EqualTo("MobileNetV3_Large.ImageNet1K_V2"));
            Assert.That(ModelRegistry.Get("mobilenet_v1").DefaultWeights, Is.Null);
            Assert.That(ModelRegistry.All.Select(m => m.Name), Is.Unique);
            PretrainedWeights[] published = [.. EfficientNetWeights.All, .. MobileNetV2Weights.All, .. MobileNetV3Weights.All, .. EfficientNetV2Weights.All, .. LukemelasWeights.All];
            Assert.That(WeightCatalog.All, Is.EquivalentTo(published), "the catalog, read from the registry, holds every family's published weights once");
            foreach (RegisteredModel model in ModelRegistry.All)
            {
                foreach (PretrainedWeights weights in model.Weights)
                {
                    Assert.That(weights.Architecture.Stages, Is.EqualTo(model.Spec.Stages), $"{weights.Name} fits {model.Name}'s blocks");
                }
            }
            Assert.That(() => ModelRegistry.Get("resnet50"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("efficientnet_b0"));
        });
    }
}
