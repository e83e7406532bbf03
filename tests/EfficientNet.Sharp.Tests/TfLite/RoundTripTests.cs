using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Networks of ours with random weights and BatchNorm statistics, written as TFLite files by the test
/// exporter (BatchNorm folded, NHWC, SAME padding) and imported back: the same spec and the same outputs.
/// </summary>
public class RoundTripTests
{
    private static NetworkSpec MobileNetV2(double width, int resolution) => TensorFlowSpecs.MobileNetV2(width, resolution);

    private static NetworkSpec MobileNetV1(double width, int resolution) => TensorFlowSpecs.MobileNetV1(width, resolution);

    private static IEnumerable<TestCaseData> ExactSpecs()
    {
        yield return new TestCaseData(MobileNetV2(1.0, 96), new TfLiteExportOptions()).SetName("{m}_MobileNetV2_1.0_Keras");
        yield return new TestCaseData(MobileNetV2(0.35, 64), new TfLiteExportOptions(SlimClassifier: true)).SetName("{m}_MobileNetV2_0.35_Slim");
        yield return new TestCaseData(MobileNetV2(0.6, 64), new TfLiteExportOptions()).SetName("{m}_MobileNetV2_0.6");
        yield return new TestCaseData(MobileNetV1(0.5, 64), new TfLiteExportOptions(SlimClassifier: true)).SetName("{m}_MobileNetV1_0.5_Slim");
        yield return new TestCaseData(MobileNetV1(0.75, 96), new TfLiteExportOptions()).SetName("{m}_MobileNetV1_0.75_Keras");
        yield return new TestCaseData(MobileNetV2(0.5, 64), new TfLiteExportOptions(SeparateActivations: true, QuantizeOperator: true)).SetName("{m}_MobileNetV2_SeparateActivationsAndQuantize");
        yield return new TestCaseData(MobileNetV1(0.25, 64), new TfLiteExportOptions(SeparateActivations: true)).SetName("{m}_MobileNetV1_SeparateActivations");
    }

    [TestCaseSource(nameof(ExactSpecs))]
    public void FloatFile_ImportsToTheSameSpecAndOutputs(NetworkSpec spec, TfLiteExportOptions options)
    {
        using ConvNetwork original = RandomStatistics.Network(spec);
        TfLiteTestFile file = NetworkToTfLite.Write(original, options);

        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "roundtrip.tflite");

        Assert.That(imported.Spec, Is.EqualTo(spec));
        TensorFlowSpecs.AssertSameOutputs(original, imported.Network, spec.Resolution);
    }

    [TestCase(0, 64)]
    [TestCase(3, 64)]
    public void EfficientNetLite_IsRecognisedByVariant(int variant, int resolution)
    {
        NetworkSpec preset = NetworkPresets.EfficientNetLite(variant);
        NetworkSpec spec = preset with
        {
            Resolution = resolution,
            Classifier = preset.Classifier with { NumClasses = 10 },
            Padding = PaddingMode.TensorFlowSame,
        };
        using ConvNetwork original = RandomStatistics.Network(spec);
        TfLiteTestFile file = NetworkToTfLite.Write(original, new TfLiteExportOptions(SlimClassifier: variant == 3));

        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "lite.tflite");

        Assert.That(imported.Spec.Name, Is.EqualTo($"efficientnet_lite{variant}"));
        Assert.That(imported.Spec.Family, Is.EqualTo(NetworkFamily.EfficientNetLite));
        Assert.That(imported.Spec.Stem, Is.EqualTo(spec.Stem));
        Assert.That(imported.Spec.Stages, Is.EqualTo(spec.Stages));
        Assert.That(imported.Spec.Head, Is.EqualTo(spec.Head));
        Assert.That(imported.Spec.Resolution, Is.EqualTo(resolution));
        Assert.That(imported.InputQuantization, Is.Null);
        Assert.That(imported.Transform.Mean, Is.All.EqualTo(127 / 255f).Within(1e-6), "EfficientNet-Lite's float input convention (x − 127) / 128");
        TensorFlowSpecs.AssertSameOutputs(original, imported.Network, resolution);
    }

    private static IEnumerable<TestCaseData> Encodings()
    {
        yield return new TestCaseData(MobileNetV1(0.5, 64), WeightEncoding.UInt8PerTensor).SetName("{m}_MobileNetV1_UInt8PerTensor");
        yield return new TestCaseData(MobileNetV2(0.5, 64), WeightEncoding.Int8PerChannel).SetName("{m}_MobileNetV2_Int8PerChannel");
        yield return new TestCaseData(MobileNetV2(0.5, 64), WeightEncoding.Float16).SetName("{m}_MobileNetV2_Float16");
    }

    [TestCaseSource(nameof(Encodings))]
    public void StoredWeights_AreDequantizedExactly(NetworkSpec spec, WeightEncoding encoding)
    {
        using ConvNetwork original = RandomStatistics.Network(spec);
        TfLiteTestFile file = NetworkToTfLite.Write(original, new TfLiteExportOptions(encoding, SlimClassifier: true, QuantizedInput: true));

        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "quantized.tflite");

        Assert.That(imported.Spec, Is.EqualTo(spec));
        Assert.That(imported.InputQuantization, Is.EqualTo(new TfLiteInputQuantization("uint8", 1 / 128.0, 128)));
        Tensor[] weights = [.. ModuleOrder.DepthFirst(imported.Network.Features).OfType<Conv2d>().Select(c => c.weight!), imported.Network.Classifier.modules().OfType<Linear>().Single().weight!];
        Assert.That(weights, Has.Length.EqualTo(file.StoredWeights.Count));
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.That(weights[i].shape, Is.EqualTo(file.StoredWeights[i].shape), $"layer {i}");
            Assert.That((weights[i] - file.StoredWeights[i]).abs().max().item<float>(), Is.LessThan(1e-6f), $"layer {i}");
        }
    }

    [Test]
    public void Import_CopiesTheBiasIntoBatchNormAndStaysTrainable()
    {
        NetworkSpec spec = MobileNetV2(0.5, 64);
        using ConvNetwork original = RandomStatistics.Network(spec);
        using TfLiteModel imported = TfLiteImport.Load(NetworkToTfLite.Write(original, new TfLiteExportOptions()).Bytes, "v2.tflite");

        BatchNormLayer first = ModuleOrder.DepthFirst(imported.Network.Features).OfType<BatchNormLayer>().First();
        Assert.That(first.RunningMean.abs().max().item<float>(), Is.Zero);
        Assert.That(first.RunningVariance.eq(1).all().item<bool>(), Is.True);
        Assert.That(imported.Network.parameters().All(p => p.requires_grad), Is.True);
        Assert.That(imported.Network.training, Is.False, "imported networks come in eval mode");
    }
}
