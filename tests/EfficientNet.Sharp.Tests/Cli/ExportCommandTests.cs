using System.Globalization;
using System.Text.RegularExpressions;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using TorchSharp.PyBridge;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary><c>effnet export</c> and <c>effnet classify --onnx</c>, end to end.</summary>
public partial class ExportCommandTests
{
    private static string Coral(string name) => TestData.File("coral-test-data", name);

    [Test]
    public void CoralModel_ExportedAndClassifiedWithOnnxRuntime_MeetsGooglesThreshold()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("coral.onnx");

        EffnetResult export = Effnet.Run("export", "--tflite", Coral("mobilenet_v1_0.25_128_quant.tflite"), "--output", onnx);

        Assert.That(export.ExitCode, Is.Zero, export.Errors);
        Assert.That(export.Output, Does.Contain("input [batch, 3, 128, 128]").And.Contain("logits [batch, 1001]").And.Contain("operators"));
        Match difference = Difference().Match(export.Output);
        Assert.That(difference.Success, Is.True, export.Output);
        Assert.That(double.Parse(difference.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThan(1e-3));

        EffnetResult classify = Effnet.Run("classify", Coral("cat.bmp"), "--onnx", onnx, "--top", "3");

        Assert.That(classify.ExitCode, Is.Zero, classify.Errors);
        string[] lines = classify.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Does.Contain("283").And.Contain("tiger cat"));
        Assert.That(double.Parse(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.25), "Google's threshold for this file");
    }

    [Test]
    public void HeadlessCoralExtractor_ExportsItsFeaturesAndCannotClassify()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("extractor.onnx");
        string extractor = Coral("mobilenet_v1_1.0_224_quant_embedding_extractor.tflite");

        EffnetResult export = Effnet.Run("export", "--tflite", extractor, "--output", onnx);
        EffnetResult classifyTfLite = Effnet.Run("classify", Coral("cat.bmp"), "--tflite", extractor);
        EffnetResult classifyOnnx = Effnet.Run("classify", Coral("cat.bmp"), "--onnx", onnx);

        Assert.That(export.ExitCode, Is.Zero, export.Errors);
        Assert.That(export.Output, Does.Contain("features [batch, 1024]"));
        Match difference = Difference().Match(export.Output);
        Assert.That(difference.Success, Is.True, export.Output);
        Assert.That(double.Parse(difference.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThan(1e-3));
        Assert.That(classifyTfLite.ExitCode, Is.EqualTo(1));
        Assert.That(classifyTfLite.Errors, Does.Contain("headless"));
        Assert.That(classifyOnnx.ExitCode, Is.EqualTo(1));
        Assert.That(classifyOnnx.Errors, Does.Contain("pooled features"));
    }

    [Test]
    public void NetworkWithWeights_ExportsWithSymbolicSize()
    {
        using var folder = new TempFolder();
        string weights = folder.File("small.pth");
        using (ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-2).BuildSpec()))
        {
            network.save_py(weights);
        }

        EffnetResult result = Effnet.Run("export", "--phi=-2", "--weights", weights, "--dynamic-size", "--opset", "13", "--output", folder.File("small.onnx"));

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.That(result.Output, Does.Contain("input [batch, 3, height, width]").And.Contain("opset 13"));
        Assert.That(File.Exists(folder.File("small.onnx")), Is.True);
    }

    [Test]
    public void QuantizedCoralModel_ExportedAsInt8_ClassifiesTheCatAsTfLiteDoes()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("coral-int8.onnx");

        EffnetResult export = Effnet.Run("export", "--tflite", Coral("mobilenet_v1_0.5_160_quant.tflite"), "--int8", "--output", onnx);

        Assert.That(export.ExitCode, Is.Zero, export.Errors);
        Assert.That(export.Output, Does.Contain("input [batch, 3, 160, 160]").And.Contain("the file's own scales: uint8 activations"));
        EffnetResult classify = Effnet.Run("classify", Coral("cat.bmp"), "--onnx", onnx, "--top", "1");

        // The TFLite interpreter gives this file's class 286 (Egyptian cat) 0.582 on this image (InterpreterAgreementTests).
        Assert.That(classify.ExitCode, Is.Zero, classify.Errors);
        Assert.That(classify.Output, Does.Contain("286").And.Contain("Egyptian cat"));
        Assert.That(double.Parse(classify.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture), Is.EqualTo(0.582).Within(0.03));
    }

    [TestCase("--phi=-3", "--int8", "-o", "x.onnx", ExpectedResult = 2, TestName = "Export_Int8WithoutCalibrationImages")]
    [TestCase("--phi=-3", "--fashion-mnist", "-o", "x.onnx", ExpectedResult = 2, TestName = "Export_CalibrationImagesWithoutInt8")]
    [TestCase("--phi=-3", "--int8", "--fashion-mnist", "--calibration", "median", "-o", "x.onnx", ExpectedResult = 2, TestName = "Export_UnknownCalibrationMethod")]
    [TestCase("--phi", "0.5", "--pretrained", "-o", "x.onnx", ExpectedResult = 2, TestName = "Export_PretrainedWithoutAPublishedCheckpoint")]
    [TestCase("--phi", "1", ExpectedResult = 2, TestName = "Export_WithoutOutput")]
    [TestCase("--opset", "12", "-o", "x.onnx", ExpectedResult = 2, TestName = "Export_UnsupportedOpset")]
    [TestCase("--phi=-3", "-o", "/no/such/folder/x.onnx", ExpectedResult = 1, TestName = "Export_IntoAMissingFolder")]
    public int Export_BadInput_FollowsTheErrorContract(params string[] args)
    {
        EffnetResult result = Effnet.Run(["export", .. args]);

        Assert.That(result.Errors, Does.StartWith("error: "));
        Assert.That(result.Output, Does.Not.Contain("Wrote"));
        return result.ExitCode;
    }

    [GeneratedRegex(@"max \|difference\| ([0-9.e+-]+)")]
    private static partial Regex Difference();
}
