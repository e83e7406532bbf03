using System.Text.RegularExpressions;
using EfficientNet.Sharp.Cli;
using EfficientNet.Sharp.Scaling;
using SkiaSharp;
using Spectre.Console.Cli.Testing;
using TorchSharp.PyBridge;

namespace EfficientNet.Sharp.Tests.Cli;

public partial class ClassifyCommandTests
{
    private static CommandAppResult Run(params string[] args)
    {
        var app = new CommandAppTester();
        app.Configure(EffnetApp.Configure);
        return app.Run(args);
    }

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

        CommandAppResult result = Run("classify", image, "--model", "b0", "--weights", weights, "--top", "3");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines, Has.All.Match(PredictionLine()));
    }

    [Test]
    public void Classify_WithoutWeights_IsRefused()
    {
        CommandAppResult result = Run("classify", "image.png", "--model", "b0");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain("--pretrained or --weights"));
    }

    [Test]
    [NonParallelizable]
    public void Classify_OfflineWithoutTheFile_SaysWhereToPutIt()
    {
        using var folder = new TempFolder();
        Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_OFFLINE", "1");
        Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_CACHE", folder.Path);
        try
        {
            CommandAppResult result = Run("classify", "image.png", "--model", "b0", "--pretrained");

            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Output, Does.Contain("efficientnet_b0_rwightman-7f5810bc.pth"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_OFFLINE", null);
            Environment.SetEnvironmentVariable("EFFICIENTNET_SHARP_CACHE", null);
        }
    }

    [GeneratedRegex(@"^\s*\d+\s+0\.\d{4}\s+\S")]
    private static partial Regex PredictionLine();
}
