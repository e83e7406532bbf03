using System.Globalization;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Tests.Onnx;
using EfficientNet.Sharp.TfLite;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Google's quantized Coral files exported as int8 ONNX (QDQ, the files' own scales) and run by ONNX Runtime, against
/// the real TensorFlow Lite interpreter on the same pixels of every test photo: the same top-1, probabilities within
/// 0.03. And ONNX Runtime must really run integer kernels on them, not dequantize everything back to float.
/// </summary>
[Category("TfLiteInterpreter")]
public class Int8ExportTests
{
    private static readonly (string Folder, string Name)[] Photos = [("coral-test-data", "cat.bmp"), ("coral-test-data", "grace_hopper.bmp"), ("efficientnet-pytorch", "img.jpg")];

    [TestCase("mobilenet_v1_0.25_128_quant.tflite")]
    [TestCase("mobilenet_v1_0.5_160_quant.tflite")]
    public void CoralClassifier_AsInt8Onnx_ComputesWhatTfLiteComputes(string file)
    {
        string path = TestData.File("coral-test-data", file);
        using TfLiteModel model = TfLiteImport.Load(path);
        using var folder = new TempFolder();
        OnnxExportReport report = model.ExportInt8Onnx(Path.Combine(folder.Path, "int8.onnx"));
        using InferenceSession session = OnnxRuntimeRun.Session(report.Path!);
        foreach ((string photoFolder, string photo) in Photos)
        {
            using var scope = torch.NewDisposeScope();
            Tensor input = ImagePreprocessor.Preprocess(TestData.File(photoFolder, photo), model.Transform);
            float[] theirs = [.. TfLiteInterpreter.Run(File.ReadAllBytes(path), InterpreterAgreementTests.Pixels(input, model.Transform)).Bytes.Select(b => b / 256f)];
            float[] ours = nn.functional.softmax(OnnxRuntimeRun.Run(session, input), 1)[0].data<float>().ToArray();
            float difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file} {photo}: top-1 int8 ONNX {ArgMax(ours)} ({ours.Max():0.000}), TFLite {ArgMax(theirs)} ({theirs.Max():0.000}); max |Δp| {difference:0.0000}"));
            Assert.That(ArgMax(ours), Is.EqualTo(ArgMax(theirs)), $"top-1 on {photo}");
            Assert.That(difference, Is.LessThan(0.03f), $"probabilities on {photo}");
        }

        Assert.That(report.Quantization, Does.Contain("uint8"));
    }

    [Test]
    public void CoralClassifier_AsInt8Onnx_RunsOnIntegerKernels()
    {
        using TfLiteModel model = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));
        using var folder = new TempFolder();
        OnnxExportReport report = model.ExportInt8Onnx(Path.Combine(folder.Path, "int8.onnx"));

        string[] operators = [.. DeviceProfiler.OptimizedGraph(ModelProto.Parser.ParseFrom(File.ReadAllBytes(report.Path!))).Node.Select(node => node.OpType)];
        TestContext.Out.WriteLine(string.Join(", ", operators.GroupBy(op => op).Select(g => $"{g.Key} × {g.Count()}")));

        // MobileNetV1 0.25: the stem and 13 depthwise-separable blocks of two convolutions each, all integer.
        Assert.That(operators.Count(op => op == "QLinearConv"), Is.EqualTo(27));
        Assert.That(operators, Has.No.Member("Conv"));
    }

    [Test]
    public void FloatFile_IsRefusedWithTheReason()
    {
        using TfLiteModel model = TfLiteImport.Load(NetworkToTfLite.Write(RandomStatistics.Network(TensorFlowSpecs.MobileNetV1(0.25, 64)), new TfLiteExportOptions()).Bytes, "float.tflite");
        using var folder = new TempFolder();
        string target = Path.Combine(folder.Path, "int8.onnx");
        Assert.That(model.IsFullyQuantized, Is.False);
        var error = Assert.Throws<InvalidOperationException>(() => model.ExportInt8Onnx(target))!;
        Assert.That(error.Message, Does.Contain("float.tflite").And.Contain("not 8-bit quantized"));
        Assert.That(File.Exists(target), Is.False);
    }

    [Test]
    public void DynamicRangeFile_IsRefused_ItsActivationsAreFloat()
    {
        var options = new TfLiteExportOptions(WeightEncoding.Int8PerChannel);
        using TfLiteModel model = TfLiteImport.Load(NetworkToTfLite.Write(RandomStatistics.Network(TensorFlowSpecs.MobileNetV2(0.5, 64)), options).Bytes, "hybrid.tflite");
        using var folder = new TempFolder();
        var error = Assert.Throws<InvalidOperationException>(() => model.ExportInt8Onnx(Path.Combine(folder.Path, "int8.onnx")))!;
        Assert.That(error.Message, Does.Contain("activation").And.Contain("Float32"));
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
