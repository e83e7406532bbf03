using System.Globalization;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.TfLite.Reading;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Imported files against the real TensorFlow Lite interpreter on the same pixels: Google's quantized Coral
/// files (classifiers and the headless embedding extractor), and float files in each converter shape the test
/// writer makes. Round trips only show that our writer and reader agree; this shows the import computes
/// what TensorFlow Lite computes, preprocessing included.
/// </summary>
[Category("TfLiteInterpreter")]
public class InterpreterAgreementTests
{
    private static string Coral(string name) => TestData.File("coral-test-data", name);

    [TestCase("mobilenet_v1_0.25_128_quant.tflite")]
    [TestCase("mobilenet_v1_0.5_160_quant.tflite")]
    public void CoralClassifier_AgreesOnTheCatImage(string file)
    {
        using TfLiteModel model = TfLiteImport.Load(Coral(file));
        using var scope = torch.NewDisposeScope();
        Tensor input = ImagePreprocessor.Preprocess(Coral("cat.bmp"), model.Transform);

        InterpreterOutput reference = TfLiteInterpreter.Run(File.ReadAllBytes(Coral(file)), Pixels(input, model.Transform));
        float[] theirs = [.. reference.Bytes.Select(b => b / 256f)];
        float[] ours;
        using (torch.no_grad())
        {
            ours = nn.functional.softmax(model.Network.call(input), 1)[0].data<float>().ToArray();
        }

        float difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: top-1 ours {ArgMax(ours)} ({ours.Max():0.000}), TFLite {ArgMax(theirs)} ({theirs.Max():0.000}); max |Δp| {difference:0.0000}"));
        Assert.That(reference.Type, Is.EqualTo("uint8"));
        Assert.That(ArgMax(ours), Is.EqualTo(ArgMax(theirs)), "top-1");

        // The file computes in uint8 throughout; our float network differs by quantization noise only.
        Assert.That(difference, Is.LessThan(0.05f));
    }

    [Test]
    public void CoralEmbeddingExtractor_GivesTheSameFeatures()
    {
        string file = Coral("mobilenet_v1_1.0_224_quant_embedding_extractor.tflite");
        byte[] bytes = File.ReadAllBytes(file);
        using TfLiteModel model = TfLiteImport.Load(file);
        using var scope = torch.NewDisposeScope();
        Tensor input = ImagePreprocessor.Preprocess(Coral("grace_hopper.bmp"), model.Transform);

        InterpreterOutput reference = TfLiteInterpreter.Run(bytes, Pixels(input, model.Transform));
        TfLiteGraph graph = TfLiteGraph.Parse(bytes, "extractor");
        TfLiteQuantization q = graph.Tensors[graph.Outputs[0]].Quantization!;
        float[] theirs = [.. reference.Bytes.Select(b => (float)(q.Scale[0] * (b - q.ZeroPoint[0])))];
        float[] ours;
        using (torch.no_grad())
        {
            ours = model.Network.call(input)[0].data<float>().ToArray();
        }

        double cosine = Dot(ours, theirs) / Math.Sqrt(Dot(ours, ours) * Dot(theirs, theirs));
        float difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"extractor: {ours.Length} features, cosine {cosine:0.00000}, max |Δ| {difference:0.000} (output step {q.Scale[0]:0.0000}, largest {theirs.Max():0.00})"));
        Assert.That(model.Spec.Classifier.IsHeadless, Is.True);
        Assert.That(reference.Shape, Is.EqualTo("1,1,1,1024"));
        Assert.That(ours, Has.Length.EqualTo(1024));
        Assert.That(cosine, Is.GreaterThan(0.99));
        Assert.That(difference, Is.LessThan(0.05f * theirs.Max()));
    }

    private static IEnumerable<TestCaseData> FloatFiles()
    {
        NetworkSpec v1 = TensorFlowSpecs.MobileNetV1(0.5, 64);
        NetworkSpec v2 = TensorFlowSpecs.MobileNetV2(0.5, 72);
        NetworkSpec lite = TensorFlowSpecs.Lite(0, 64, classes: 10);
        yield return new TestCaseData(v2, new TfLiteExportOptions()).SetName("{m}_MobileNetV2_Keras");
        yield return new TestCaseData(v1, new TfLiteExportOptions(WeightEncoding.Float16, SlimClassifier: true, SeparateActivations: true)).SetName("{m}_MobileNetV1_Float16Slim");
        yield return new TestCaseData(v2, new TfLiteExportOptions(PadStridedConvolutions: true, KeepDims: true)).SetName("{m}_MobileNetV2_PadThenValidKeepDims");
        yield return new TestCaseData(lite, new TfLiteExportOptions(Normalization: (2f, -1f), PadStridedConvolutions: true)).SetName("{m}_Lite0_InGraphNormalization");
        yield return new TestCaseData(v1 with { Classifier = v1.Classifier with { NumClasses = 0 } }, new TfLiteExportOptions()).SetName("{m}_MobileNetV1_Headless");
        NetworkSpec hardSwish = TensorFlowSpecs.MobileNetV1(0.25, 64, activation: ActivationKind.Hardswish);
        yield return new TestCaseData(hardSwish, new TfLiteExportOptions()).SetName("{m}_MobileNetV1_HardSwish");

        // Keras' MobileNetV3: raw pixels 0…255 rescaled in the graph to [−1, 1], hard-swish, hard-sigmoid gates, a hidden classifier layer.
        NetworkSpec v3 = TensorFlowSpecs.MobileNetV3(small: false, 1.0, 64, classes: 10);
        yield return new TestCaseData(v3, new TfLiteExportOptions(Normalization: (1 / 127.5f, -1f), PadStridedConvolutions: true)).SetName("{m}_KerasMobileNetV3Large");

        // Keras' EfficientNet: raw pixels 0…255 normalised in the graph, explicit PADs, SiLU as LOGISTIC + MUL, squeeze-and-excitation.
        NetworkSpec b0 = TensorFlowSpecs.EfficientNet(0, 64);
        yield return new TestCaseData(b0, new TfLiteExportOptions(KerasImageNetNormalization: true, PadStridedConvolutions: true)).SetName("{m}_KerasEfficientNetB0");
        yield return new TestCaseData(b0, new TfLiteExportOptions(Normalization: (1 / (255 * 0.226f), -0.449f / 0.226f), KeepDims: true)).SetName("{m}_EfficientNetB0_ScalarNormalizationOfRawPixels");
    }

    [TestCaseSource(nameof(FloatFiles))]
    public void FloatFile_GivesTheInterpretersOutputs(NetworkSpec spec, TfLiteExportOptions options)
    {
        // The files end at the logits: random networks often saturate a softmax, which would hide differences.
        using ConvNetwork original = RandomStatistics.Network(spec);
        TfLiteTestFile file = NetworkToTfLite.Write(original, options with { Softmax = false });
        using TfLiteModel imported = TfLiteImport.Load(file.Bytes, "float.tflite");
        using var scope = torch.NewDisposeScope();

        // One image of random pixels p ∈ [0, 1] in steps of 1/255; the file's float input holds what its graph
        // expects: when it normalises in-graph, raw pixels (Keras, 0…255, the small scale) or p (Model Maker),
        // else the family's convention.
        var random = new Random(11);
        int size = spec.Resolution;
        float[] pixels = [.. Enumerable.Range(0, size * size * 3).Select(_ => random.Next(256) / 255f)];
        Func<float, float> fileInput = options.KerasImageNetNormalization ? p => 255 * p
            : options.Normalization is (float normalizationScale, _) ? (normalizationScale < 0.1f ? p => 255 * p : p => p)
            : spec.Family == NetworkFamily.EfficientNetLite ? p => ((255 * p) - 127) / 128
            : p => (2 * p) - 1;
        float[] theirs = TfLiteInterpreter.RunFloat(file.Bytes, [.. pixels.Select(fileInput)]);

        Tensor image = torch.tensor(pixels, [1, size, size, 3]).permute(0, 3, 1, 2);
        Tensor mean = torch.tensor(imported.Transform.Mean.ToArray()).reshape(1, 3, 1, 1);
        Tensor std = torch.tensor(imported.Transform.Std.ToArray()).reshape(1, 3, 1, 1);
        float[] ours;
        using (torch.no_grad())
        {
            ours = imported.Network.call((image - mean) / std)[0].data<float>().ToArray();
        }

        float difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        float scale = theirs.Max(Math.Abs);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{spec.Name}: max |Δ| {difference:g3} of largest {scale:g3}"));
        Assert.That(ours, Has.Length.EqualTo(theirs.Length));
        Assert.That(difference, Is.LessThan(1e-4f * Math.Max(scale, 1e-3f)));
        Assert.That(ArgMax(ours), Is.EqualTo(ArgMax(theirs)));
    }

    /// <summary>The uint8 NHWC pixels behind a preprocessed tensor: its transform truncated them to bytes, so inverting it is exact.</summary>
    internal static byte[] Pixels(Tensor input, EvalTransform transform)
    {
        Tensor mean = torch.tensor(transform.Mean.ToArray()).reshape(1, 3, 1, 1);
        Tensor std = torch.tensor(transform.Std.ToArray()).reshape(1, 3, 1, 1);
        Tensor bytes = ((input * std) + mean).mul(255f).round().clamp(0, 255).permute(0, 2, 3, 1).contiguous();
        return [.. bytes.data<float>().ToArray().Select(v => (byte)v)];
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
