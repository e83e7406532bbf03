using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// The shapes converters write around the same layers — Keras' explicit PAD before strided convolutions,
/// keep_dims classifiers, headless feature extractors, Model Maker's in-graph input normalisation with int8
/// weights — import as the network built directly, with the same outputs.
/// </summary>
public class ConverterVariantTests
{
    private static NetworkSpec MobileNetV1(double width, int resolution, int classes = 10) => TensorFlowSpecs.MobileNetV1(width, resolution, classes);

    private static NetworkSpec MobileNetV2(double width, int resolution) => TensorFlowSpecs.MobileNetV2(width, resolution);

    private static NetworkSpec Lite(int variant, int resolution, int classes) => TensorFlowSpecs.Lite(variant, resolution, classes);

    private static IEnumerable<TestCaseData> Variants()
    {
        yield return new TestCaseData(MobileNetV1(0.5, 64), new TfLiteExportOptions(PadStridedConvolutions: true)).SetName("{m}_PadThenValid_MobileNetV1");
        yield return new TestCaseData(MobileNetV2(0.5, 70), new TfLiteExportOptions(PadStridedConvolutions: true)).SetName("{m}_PadThenValid_MobileNetV2_OddSizes");
        yield return new TestCaseData(MobileNetV2(0.35, 64), new TfLiteExportOptions(KeepDims: true)).SetName("{m}_MeanKeepDimsAndFullyConnectedKeepNumDims");
        yield return new TestCaseData(MobileNetV1(0.25, 64, classes: 0), new TfLiteExportOptions()).SetName("{m}_HeadlessMobileNetV1");
        yield return new TestCaseData(Lite(0, 64, classes: 0), new TfLiteExportOptions(PadStridedConvolutions: true)).SetName("{m}_HeadlessLite0_PadThenValid");
        yield return new TestCaseData(Lite(0, 64, classes: 10), new TfLiteExportOptions(Normalization: (2f, -1f))).SetName("{m}_InGraphNormalization_Lite0");
        yield return new TestCaseData(EfficientNetB(0, 64), new TfLiteExportOptions(PadStridedConvolutions: true)).SetName("{m}_KerasEfficientNetB0_SqueezeExcitationAndSiLU");
        yield return new TestCaseData(EfficientNetB(2, 64), new TfLiteExportOptions(KeepDims: true)).SetName("{m}_EfficientNetB2");
        yield return new TestCaseData(MobileNetV2(0.35, 64), new TfLiteExportOptions(SqueezeAfterMean: true, SeparateActivations: true)).SetName("{m}_MeanThenSqueeze");
        yield return new TestCaseData(MobileNetV1With(ActivationKind.Hardswish), new TfLiteExportOptions()).SetName("{m}_HardSwishOperators");
        yield return new TestCaseData(MobileNetV3(small: false, 1.0, classes: 10), new TfLiteExportOptions(PadStridedConvolutions: true)).SetName("{m}_KerasMobileNetV3Large");
        yield return new TestCaseData(MobileNetV3(small: true, 0.75, classes: 10), new TfLiteExportOptions(Normalization: (1 / 127.5f, -1f))).SetName("{m}_KerasMobileNetV3Small_0.75");
        yield return new TestCaseData(MobileNetV3(small: true, 1.0, classes: 0), new TfLiteExportOptions()).SetName("{m}_HeadlessMobileNetV3Small");
        yield return new TestCaseData(MobileNetV1With(ActivationKind.SiLU), new TfLiteExportOptions()).SetName("{m}_SiLUAsLogisticAndMul");
        yield return new TestCaseData(EfficientNetB(0, 64), new TfLiteExportOptions(KerasImageNetNormalization: true, SqueezeAfterMean: true)).SetName("{m}_KerasNormalizationPerChannel");
    }

    private static NetworkSpec MobileNetV3(bool small, double width, int classes) => TensorFlowSpecs.MobileNetV3(small, width, 64, classes);

    [TestCase(false, 1.0)]
    [TestCase(true, 0.75)]
    public void MobileNetV3_IsRecognisedAsOurBuildersSpec(bool small, double width)
    {
        NetworkSpec spec = MobileNetV3(small, width, classes: 10);
        using ConvNetwork original = RandomStatistics.Network(spec);

        using TfLiteModel imported = TfLiteImport.Load(NetworkToTfLite.Write(original, new TfLiteExportOptions()).Bytes, "v3.tflite");

        Assert.That(imported.Spec, Is.EqualTo(spec));
        Assert.That(imported.Spec.Name, Does.StartWith(small ? "mobilenet_v3_small" : "mobilenet_v3_large"));
    }

    private static NetworkSpec MobileNetV1With(ActivationKind activation) => TensorFlowSpecs.MobileNetV1(0.25, 64, activation: activation);

    private static NetworkSpec EfficientNetB(int phi, int resolution) => TensorFlowSpecs.EfficientNet(phi, resolution);

    [Test]
    public void EfficientNetB0_IsRecognisedAsOurBuildersSpec()
    {
        NetworkSpec spec = EfficientNetB(0, 96);
        using ConvNetwork original = RandomStatistics.Network(spec);

        using TfLiteModel imported = TfLiteImport.Load(NetworkToTfLite.Write(original, new TfLiteExportOptions(PadStridedConvolutions: true)).Bytes, "b0.tflite");

        Assert.That(imported.Spec.Name, Is.EqualTo(spec.Name));
        Assert.That(imported.Spec.Family, Is.EqualTo(NetworkFamily.EfficientNet));
        Assert.That(imported.Spec.Stages.Select(s => s.SqueezeRatio), Is.All.EqualTo(0.25));
        Assert.That(imported.Spec.Stages, Is.EqualTo(spec.Stages));
    }

    [TestCaseSource(nameof(Variants))]
    public void Variant_ImportsAsTheNetworkBuiltDirectly(NetworkSpec spec, TfLiteExportOptions options)
    {
        using ConvNetwork original = RandomStatistics.Network(spec);
        TfLiteTestFile file = NetworkToTfLite.Write(original, options);

        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "variant.tflite");

        Assert.That(imported.Spec.Stem, Is.EqualTo(spec.Stem));
        Assert.That(imported.Spec.Stages, Is.EqualTo(spec.Stages));
        Assert.That(imported.Spec.Head, Is.EqualTo(spec.Head));
        Assert.That(imported.Spec.Classifier.NumClasses, Is.EqualTo(spec.Classifier.NumClasses));
        Assert.That(imported.Spec.Name, Does.StartWith(spec.Name.Split('_')[0]));
        TensorFlowSpecs.AssertSameOutputs(original, imported.Network, spec.Resolution);
    }

    [Test]
    public void InGraphNormalization_IsFoldedIntoTheTransform()
    {
        // Float input holding pixels in [0, 1]; the graph computes y = 2x − 1, which the network is trained on.
        NetworkSpec spec = Lite(0, 64, classes: 10);
        using ConvNetwork original = RandomStatistics.Network(spec);
        TfLiteTestFile file = NetworkToTfLite.Write(original, new TfLiteExportOptions(Normalization: (2f, -1f)));

        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "normalized.tflite");

        Assert.That(imported.InputNormalization, Is.Not.Null);
        Assert.That(imported.InputNormalization!.Operators, Is.EqualTo("MUL, ADD"));
        Assert.That(imported.InputNormalization.Scale, Is.All.EqualTo(2.0));
        Assert.That(imported.InputNormalization.Offset, Is.All.EqualTo(-1.0));

        // (p − 0.5) / 0.5 = 2p − 1 for p ∈ [0, 1].
        Assert.That(imported.Transform.Mean, Is.All.EqualTo(0.5f).Within(1e-6));
        Assert.That(imported.Transform.Std, Is.All.EqualTo(0.5f).Within(1e-6));
    }

    [Test]
    public void KerasPerChannelNormalization_BecomesTheImageNetTransform()
    {
        // Raw pixels x = 255p; the graph computes (x / 255 − mean) / std per channel, which is exactly (p − mean) / std.
        using ConvNetwork original = RandomStatistics.Network(EfficientNetB(0, 64));
        TfLiteTestFile file = NetworkToTfLite.Write(original, new TfLiteExportOptions(KerasImageNetNormalization: true));

        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "keras_b0.tflite");

        Assert.That(imported.InputNormalization!.Operators, Is.EqualTo("MUL, SUB, DIV"));
        Assert.That(imported.Transform.Mean, Is.EqualTo(new[] { 0.485f, 0.456f, 0.406f }).Within(1e-6));
        Assert.That(imported.Transform.Std, Is.EqualTo(new[] { 0.229f, 0.224f, 0.225f }).Within(1e-6));
    }

    [Test]
    public void ModelMakerStyleLite0_ImportsWithItsQuantizedNormalizationAndWeights()
    {
        // uint8 input (scale 1/128, zero point 128) → QUANTIZE to int8 → MUL 2 and ADD −1 by int8 constants → int8 weights.
        NetworkSpec spec = Lite(0, 64, classes: 5);
        using ConvNetwork original = RandomStatistics.Network(spec);
        TfLiteTestFile file = NetworkToTfLite.Write(original, new TfLiteExportOptions(WeightEncoding.Int8PerChannel, QuantizedInput: true, QuantizeOperator: true, Normalization: (2f, -1f)));

        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "model_maker_lite0.tflite");

        Assert.That(imported.Spec.Name, Is.EqualTo("efficientnet_lite0"));
        Assert.That(imported.InputQuantization, Is.EqualTo(new TfLiteInputQuantization("uint8", 1 / 128.0, 128)));
        Assert.That(imported.InputNormalization!.Scale, Is.All.EqualTo(2.0).Within(1e-6));
        Assert.That(imported.InputNormalization.Offset, Is.All.EqualTo(-1.0).Within(1e-6));

        // x = (255p − 128) / 128, y = 2x − 1 = (510p − 384) / 128: mean 384/510, std 128/510.
        Assert.That(imported.Transform.Mean, Is.All.EqualTo(384 / 510f).Within(1e-5));
        Assert.That(imported.Transform.Std, Is.All.EqualTo(128 / 510f).Within(1e-5));
        Tensor[] weights = [.. ModuleOrder.DepthFirst(imported.Network.Features).OfType<Conv2d>().Select(c => c.weight!), imported.Network.Classifier.modules().OfType<Linear>().Single().weight!];
        Assert.That(weights, Has.Length.EqualTo(file.StoredWeights.Count));
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.That((weights[i] - file.StoredWeights[i]).abs().max().item<float>(), Is.LessThan(1e-6f), $"layer {i}");
        }
    }

    [Test]
    public void HeadlessImport_ReportsItsFeaturesAndCannotClassify()
    {
        using ConvNetwork original = RandomStatistics.Network(MobileNetV1(0.25, 64, classes: 0));
        using TfLiteModel imported = TfLiteImport.Load(NetworkToTfLite.Write(original, new TfLiteExportOptions()).Bytes, "extractor.tflite");

        Assert.That(imported.Spec.Classifier.IsHeadless, Is.True);
        Assert.That(imported.Spec.OutputChannels, Is.EqualTo(256));
        Assert.That(() => new ImageClassifier(imported.Network, imported.Transform), Throws.ArgumentException.With.Message.Contains("headless"));
    }
}
