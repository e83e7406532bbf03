using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Files whose squeeze-and-excitation does not squeeze to a quarter: the import finds, from each block kind's own
/// definition of its squeeze count (EfficientNet's from the input channels, MobileNetV3's from the expanded ones,
/// rounded to 8), a ratio that gives the file's counts back, and the imported network computes what the file does.
/// </summary>
public class SqueezeCountTests
{
    [Test]
    public void EfficientNet_SqueezingToAnotherShareOfItsInput_Imports()
    {
        NetworkSpec spec = WithSqueezeRatio(TensorFlowSpecs.EfficientNet(0, 64), 0.4);
        AssertImportsWithTheSameCounts(spec, new TfLiteExportOptions(PadStridedConvolutions: true));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void MobileNetV3_SqueezingToAnotherShareOfItsExpansion_Imports(bool small)
    {
        NetworkSpec spec = WithSqueezeRatio(TensorFlowSpecs.MobileNetV3(small, 1.0, 64, 10), 0.5);
        AssertImportsWithTheSameCounts(spec, new TfLiteExportOptions(PadStridedConvolutions: true));
    }

    private static void AssertImportsWithTheSameCounts(NetworkSpec spec, TfLiteExportOptions options)
    {
        NetworkSpec quarter = WithSqueezeRatio(spec, 0.25);
        Assert.That(spec.Blocks.Select(block => block.SqueezeChannels), Is.Not.EqualTo(quarter.Blocks.Select(block => block.SqueezeChannels)), "the counts differ from a quarter's");

        using ConvNetwork original = RandomStatistics.Network(spec);
        using TfLiteModel imported = TfLiteImport.Load(NetworkToTfLite.Write(original, options).Bytes, "squeeze.tflite");

        Assert.That(imported.Spec.Family, Is.EqualTo(spec.Family));
        Assert.That(imported.Spec.Blocks.Select(block => block.SqueezeChannels), Is.EqualTo(spec.Blocks.Select(block => block.SqueezeChannels)));
        TensorFlowSpecs.AssertSameOutputs(original, imported.Network, spec.Resolution);
    }

    private static NetworkSpec WithSqueezeRatio(NetworkSpec spec, double ratio) =>
        spec with { Stages = [.. spec.Stages.Select(stage => stage.SqueezeRatio > 0 ? stage with { SqueezeRatio = ratio } : stage)] };
}
