using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Tests.TfLite;

namespace EfficientNet.Sharp.Tests.Cli;

[NonParallelizable]
public class FitCommandTests
{
    private static EffnetResult Run(params string[] args) => Effnet.Run(args);

    [Test]
    public void Fit_WithAModel_ScalesThatModelsWidth()
    {
        EffnetResult result = Run("fit", "--model", "mobilenet-v2", "--max-gmacs", "0.1");

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.That(result.Output, Does.Contain("mobilenet_v2 width scaling"));
        Assert.That(result.Output, Does.Match(@"Largest network that fits: φ = -\d\.\d → mobilenet_v2_0\.\d+ \(224 px\)"));
    }

    [TestCase("mobilenet_v3_small", "--mode", "depth", "it scales by width, resolution")]
    [TestCase("mobilenet_v1", "--mode", "compound", "it scales by width, resolution")]
    [TestCase("no_such_model", "--mode", "width", "Unknown --model 'no_such_model'")]
    public void Fit_WithAModel_RefusesWhatItCannotDo(string model, string option, string value, string message)
    {
        EffnetResult result = Run("fit", "--model", model, option, value, "--max-gmacs", "0.1");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain(message));
    }

    [Test]
    public void Fit_MeasuresHereAndWritesTheTableAndThePlot()
    {
        string plot = Path.Combine(Path.GetTempPath(), $"effnet-fit-{Guid.NewGuid():N}.png");
        try
        {
            EffnetResult result = Run(
                "fit", "--latency-ms", "500", "--resolution", "64", "--min-phi=-1", "--max-phi", "1",
                "--threads", "1", "--warmup-runs", "1", "--runs", "3", "--plot", plot);

            Assert.That(result.ExitCode, Is.Zero, result.Output);
            Assert.That(result.Output, Does.Contain("Largest network that fits: φ = 1.0"));
            Assert.That(result.Output, Does.Contain("cpu, 1 thread"));
            Assert.That(result.Output, Does.Contain("ForInference() copies"), "prepared copies are measured by default");
            Assert.That(File.ReadAllBytes(plot).Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG file");
        }
        finally
        {
            File.Delete(plot);
        }
    }

    [Test]
    public void Fit_WithASpecOnlyBudget_ChoosesWithoutSlowMeasurement()
    {
        EffnetResult result = Run("fit", "--max-params", "6000000");

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("Largest network that fits"));
        Assert.That(result.Output, Does.Contain("parameters > 6,000,000"));
    }

    [Test]
    public void Fit_WhenNothingFits_ExitsWithFiveAndSaysSo()
    {
        EffnetResult result = Run("fit", "--max-params", "1000");

        Assert.That(result.ExitCode, Is.EqualTo(5));
        Assert.That(result.Output, Does.Contain("Nothing fits"));
    }

    [Test]
    public void Fit_WithoutABudget_IsRejected()
    {
        EffnetResult result = Run("fit");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("Give a budget"));
    }

    [Test]
    public void Fit_InOnnxRuntime_MeasuresExportedNetworksAndNamesTheRuntime()
    {
        EffnetResult result = Run(
            "fit", "--latency-ms", "500", "--resolution", "64", "--min-phi=-1", "--max-phi", "0",
            "--threads", "1", "--warmup-runs", "1", "--runs", "3", "--runtime", "onnxruntime");

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Errors);
        Assert.That(result.Output, Does.Contain("ONNX Runtime"));
        Assert.That(result.Output, Does.Contain("Largest network that fits: φ = 0.0"));
    }

    [Test]
    public void Fit_InOnnxRuntimeInt8_TimesInt8FilesAndSaysSo()
    {
        EffnetResult result = Run(
            "fit", "--latency-ms", "500", "--resolution", "64", "--min-phi=-1", "--max-phi", "0",
            "--threads", "1", "--warmup-runs", "1", "--runs", "3", "--runtime", "onnxruntime-int8");

        Assert.That(result.ExitCode, Is.Zero, result.Output + result.Errors);
        Assert.That(result.Output, Does.Contain("ONNX Runtime").And.Contain("int8 (QDQ)"));
        Assert.That(result.Output, Does.Contain("Largest network that fits: φ = 0.0"));
    }

    [Test]
    public void Fit_Pretrained_RecommendsAPublishedCheckpoint_AndPlotsThem()
    {
        string plot = Path.Combine(Path.GetTempPath(), $"effnet-pretrained-{Guid.NewGuid():N}.png");
        try
        {
            EffnetResult result = Run("fit", "--pretrained", "--max-params", "6000000", "--plot", plot);

            Assert.That(result.ExitCode, Is.Zero, result.Output + result.Errors);
            Assert.That(result.Output, Does.Contain("Recommended: EfficientNet_B0.ImageNet1K_V1"));
            Assert.That(result.Output, Does.Contain("MobileNetV3_Large.ImageNet1K_V2"));
            Assert.That(File.ReadAllBytes(plot).Take(4), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47 }), "a PNG file");
        }
        finally
        {
            File.Delete(plot);
        }
    }

    [Test]
    public void Fit_Pretrained_RanksEfficientNetLiteFilesByTheirPublishedTop1()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"effnet-lite-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            NetworkSpec lite0 = NetworkPresets.EfficientNetLite(0) with { Resolution = 64, Padding = PaddingMode.TensorFlowSame };
            using (ConvNetwork network = RandomStatistics.Network(lite0))
            {
                File.WriteAllBytes(Path.Combine(folder, "lite0_64.tflite"), NetworkToTfLite.Write(network, new TfLiteExportOptions()).Bytes);
            }

            File.Copy(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"), Path.Combine(folder, "coral_v1.tflite"));

            EffnetResult result = Run("fit", "--pretrained", "--tflite-candidates", folder, "--max-params", "5000000");

            Assert.That(result.ExitCode, Is.Zero, result.Output + result.Errors);
            Assert.That(result.Output, Does.Contain("lite0_64.tflite").And.Contain("75.10"));
            Assert.That(result.Output, Does.Contain("Recommended: lite0_64.tflite"), "under 5 M parameters Lite0 (75.1%) beats MobileNetV2 (72.15%)");
            Assert.That(result.Errors, Does.Contain("Skipped coral_v1.tflite"), "a note, on stderr");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Fit_WithAnUnknownRuntime_IsRejected()
    {
        EffnetResult result = Run("fit", "--latency-ms", "30", "--runtime", "onnx");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("--runtime 'onnx'"));
    }
}
