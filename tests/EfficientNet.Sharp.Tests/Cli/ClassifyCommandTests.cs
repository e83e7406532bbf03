using System.Text.RegularExpressions;
using EfficientNet.Sharp.Scaling;
using SkiaSharp;
using TorchSharp.PyBridge;

namespace EfficientNet.Sharp.Tests.Cli;

public partial class ClassifyCommandTests
{
    private static EffnetResult Run(params string[] args) => Effnet.Run(args);

    [Test]
    public void Classify_WithAWeightsFile_PrintsIndexProbabilityAndLabel()
    {
        using var folder = new TempFolder();
        string weights = folder.File("b0.pth");
        using (var model = new EfficientNetBuilder().Build())
        {
            model.save_py(weights);
        }

        string image = folder.File("image.png");
        using (var bitmap = new SKBitmap(80, 60))
        {
            bitmap.Erase(new SKColor(200, 30, 60));
            using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(image, data.ToArray());
        }

        EffnetResult result = Run("classify", image, "--model", "b0", "--weights", weights, "--top", "3");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines, Has.All.Match(PredictionLine()));
    }

    [Test]
    public void Classify_WithoutWeights_IsRefused()
    {
        EffnetResult result = Run("classify", "image.png", "--model", "b0");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("--pretrained, --weights FILE, --tflite FILE or --onnx FILE"));
    }

    [Test]
    [NonParallelizable]
    public void Classify_OfflineWithoutTheFile_SaysWhereToPutIt()
    {
        using var cache = new OfflineEmptyCache();

        EffnetResult result = Run("classify", "image.png", "--model", "b0", "--pretrained");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Errors, Does.Contain("efficientnet_b0_rwightman-7f5810bc.pth"));
    }

    [Test]
    public void Classify_WithATfLiteFile_ImportsItAndPrintsTheTopClasses()
    {
        string model = TestData.File("coral-test-data", "mobilenet_v1_0.5_160_quant.tflite");
        string image = TestData.File("coral-test-data", "cat.bmp");

        EffnetResult result = Run("classify", image, "--tflite", model, "--top", "3");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines, Has.All.Match(PredictionLine()));
        Assert.That(lines, Has.Some.Match(@"^\s*286\s+0\.\d{4}\s+Egyptian cat$"));
    }

    [Test]
    public void Classify_WithALabelsFile_PrintsItsNames()
    {
        string model = TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite");
        string image = TestData.File("coral-test-data", "cat.bmp");
        string labels = TestData.File("coral-test-data", "imagenet_labels.txt");

        EffnetResult result = Run("classify", image, "--tflite", model, "--labels", labels, "--top", "5");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("tabby, tabby cat").Or.Contain("tiger cat"));
    }

    [Test]
    public void Classify_WithALabelsFileOfTheWrongLength_IsRefused()
    {
        using var folder = new TempFolder();
        string labels = folder.File("labels.txt");
        File.WriteAllLines(labels, ["a", "b", "c"]);
        string model = TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite");

        EffnetResult result = Run("classify", "image.png", "--tflite", model, "--labels", labels);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Errors);
        Assert.That(result.Errors, Does.Contain("3 names").And.Contain("1001 classes").And.Contain("labels.txt"));
    }

    [Test]
    public void Classify_WithTwoWeightSources_IsRefused()
    {
        EffnetResult result = Run("classify", "image.png", "--tflite", "a.tflite", "--weights", "b.pth");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("one of --pretrained, --weights FILE, --tflite FILE or --onnx FILE"));
    }

    [GeneratedRegex(@"^\s*\d+\s+0\.\d{4}\s+\S")]
    private static partial Regex PredictionLine();
}
