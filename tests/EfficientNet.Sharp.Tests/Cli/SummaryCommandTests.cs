
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
