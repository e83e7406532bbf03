
namespace EfficientNet.Sharp.Tests.Cli;

public class SummaryCommandTests
{
    private static EffnetResult Run(params string[] args) => Effnet.Run(args);

    [Test]
    public void Summary_OfB3_ShowsStagesAndThePublishedTotal()
    {
        EffnetResult result = Run("summary", "--phi", "3");

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Output, Does.Contain("efficientnet_b3"));
        Assert.That(result.Output, Does.Contain("12,233,232"));
        Assert.That(result.Output, Does.Contain("300 × 300 px"));
        Assert.That(result.Output, Does.Contain("232 → 384"));
    }

    [TestCase("-1.5")]
    [TestCase("2.25")]
    public void Summary_AcceptsFractionalAndNegativePhi(string phi)
    {
        EffnetResult result = Run("summary", "--phi", phi);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain($"φ = {phi}"));
    }

    [Test]
    public void SummaryOfATfLiteFile_ShowsTheRecognisedHeadlessExtractor()
    {
        EffnetResult result = Run("summary", "--tflite", TestData.File("coral-test-data", "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"));

        Assert.That(result.ExitCode, Is.Zero, result.Errors);
        Assert.That(result.Output, Does.Contain("MobileNetV1"));
        Assert.That(result.Output, Does.Contain("α = 1,").Or.Contain("α = 1 "));
        Assert.That(result.Output, Does.Contain("224 px, 13 blocks"));
        Assert.That(result.Output, Does.Contain("1024 pooled features (headless"));
        Assert.That(result.Output, Does.Contain("uint8, real = 0.0078125 · (q − 128)"));

        // Keras' MobileNet (α = 1) has 4,231,976 trainable parameters with its 1000-class 1×1 convolution
        // (1024 · 1000 + 1000 = 1,025,000); the extractor is the rest.
        Assert.That(result.Output, Does.Contain("3,206,976"));
    }

    [Test]
    public void SummaryOfADamagedTfLiteFile_FailsWithExitCode1()
    {
        using var folder = new TempFolder();
        string file = folder.File("broken.tflite");
        File.WriteAllBytes(file, [1, 2, 3, 4, 5, 6, 7, 8]);

        EffnetResult result = Run("summary", "--tflite", file);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Errors, Does.Contain("broken.tflite"));
        Assert.That(result.Output, Is.Empty);
    }

    [Test]
    public void Summary_OfMobileNetV2_ShowsTorchvisionsCount()
    {
        EffnetResult result = Run("summary", "--model", "mobilenet-v2");

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.Output, Does.Contain("3,504,872"));
    }

    [Test]
    public void Summary_WithAPhiTooSmall_FailsWithTheReason()
    {
        EffnetResult result = Run("summary", "--phi=-30");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Errors, Does.Contain("at least 32 pixels"));
        Assert.That(result.Output, Is.Empty, "errors go to stderr only");
    }
}
