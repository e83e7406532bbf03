using System.Text.RegularExpressions;
using EfficientNet.Sharp.Tests.Weights;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary>
/// One error contract for every command: an error goes to stderr as one <c>error:</c> line (plus optional
/// <c>hint:</c> lines), never a stack trace, stdout stays clean, and the exit code says what kind of
/// failure it was (1 bad input, 2 usage, 3 network, 5 nothing fits; README "Exit codes").
/// </summary>
public partial class ErrorContractTests
{
    private static string Coral(string name) => TestData.File("coral-test-data", name);

    private static IEnumerable<TestCaseData> UsageErrors()
    {
        yield return Case("summary", ["summary", "--phy", "3"], "phy");
        yield return Case("summary", ["summary", "--phi", "3", "stray"], "stray");
        yield return Case("summary", ["summary", "--width", "1e6"], "at most 65,536");
        yield return Case("summary", ["summary", "--phi", "1e9"], "at most");
        yield return Case("summary", ["summary", "--resolution", "100000"], "8,192");
        yield return Case("classify", ["classify", "cat.png", "--weights", "w.pth", "--tpo", "1"], "tpo");
        yield return Case("classify", ["classify", "cat.png", "--pretrained", "--model", "b9"], "b9");
        yield return Case("fit", ["fit", "--latency-ms", "1e300"], "--latency-ms");
        yield return Case("fit", ["fit", "--max-gmacs", "1e300"], "--max-gmacs");
        yield return Case("fit", ["fit", "--latency-ms", "30", "--min-phi", "2", "--max-phi", "1"], "--min-phi");
        yield return Case("weights list", ["weights", "list", "--bogus"], "bogus");
        yield return Case("weights download", ["weights", "download", "No.Such.Checkpoint"], "No.Such.Checkpoint");
        yield return Case("weights download", ["weights", "download", "--file", "x.pth", "--sha256", "00112233", "--base-url", "not a url"], "--base-url");
        yield return Case("weights download", ["weights", "download", "--file", "x.pth", "--sha256", "xyz", "--base-url", "http://127.0.0.1/"], "--sha256");
        yield return Case("(none)", ["frobnicate"], "frobnicate");

        static TestCaseData Case(string command, string[] args, string mentions) =>
            new TestCaseData(args, mentions).SetName($"Usage_{command.Replace(' ', '_')}_{string.Join('_', args.Skip(command == "(none)" ? 0 : command.Split(' ').Length)).Replace("-", "")}");
    }

    [TestCaseSource(nameof(UsageErrors))]
    public void UsageError_ExitsWithTwo_OnStderrOnly(string[] args, string mentions)
    {
        EffnetResult result = Effnet.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Errors + result.Output);
        AssertOneError(result, mentions);
    }

    [Test]
    public void BadInputFiles_ExitWithOne()
    {
        using var folder = new TempFolder();
        string damaged = folder.File("damaged.tflite");
        byte[] tflite = File.ReadAllBytes(Coral("mobilenet_v1_0.25_128_quant.tflite"));
        File.WriteAllBytes(damaged, tflite[..(tflite.Length / 3)]);
        string truncatedImage = folder.File("cut.bmp");
        byte[] cat = File.ReadAllBytes(Coral("cat.bmp"));
        File.WriteAllBytes(truncatedImage, cat[..(cat.Length / 3)]);
        string hostile = folder.File("hostile.safetensors");
        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}"u8.ToArray();
        File.WriteAllBytes(hostile, [.. BitConverter.GetBytes((long)header.Length), .. header]);

        (string[] Args, string Mentions)[] cases =
        [
            (["classify", folder.File("missing.png"), "--tflite", Coral("mobilenet_v1_0.25_128_quant.tflite")], "does not exist"),
            (["classify", Coral("cat.bmp"), "--tflite", damaged], "damaged"),
            (["classify", truncatedImage, "--tflite", Coral("mobilenet_v1_0.25_128_quant.tflite")], "truncated"),
            (["classify", Coral("cat.bmp"), "--weights", hostile], "hostile.safetensors"),
        ];
        foreach ((string[] args, string mentions) in cases)
        {
            EffnetResult result = Effnet.Run(args);

            Assert.That(result.ExitCode, Is.EqualTo(1), string.Join(' ', args) + ": " + result.Errors);
            AssertOneError(result, mentions);
        }
    }

    [Test]
    [NonParallelizable]
    public void DownloadFailure_ExitsWithThree()
    {
        using var server = new TestFileServer();
        using var folder = new TempFolder();

        EffnetResult result = Effnet.Run("weights", "download", "--file", "absent.pth", "--sha256", "00112233", "--base-url", server.BaseAddress.ToString(), "--cache", folder.Path);

        Assert.That(result.ExitCode, Is.EqualTo(3), result.Errors);
        AssertOneError(result, "404");
    }

    [Test]
    public void NothingFits_ExitsWithFive_AndReportsOnStdout()
    {
        EffnetResult result = Effnet.Run("fit", "--max-params", "1000");

        Assert.That(result.ExitCode, Is.EqualTo(5));
        Assert.That(result.Output, Does.Contain("Nothing fits"));
        Assert.That(result.Errors, Does.Not.Contain("error:"), "not an error: stderr carries only the progress notes");
    }

    /// <summary>The real process: stderr and stdout are the process's own streams, and a TFLite import prints nothing but predictions.</summary>
    [Test]
    [CancelAfter(120_000)]
    public void RealProcess_KeepsStdoutForResultsAndStderrForOneErrorLine()
    {
        (int code, string output, string error) = RunProcess("summary", "--phy", "3");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith("error: ").And.Contain("phy"));
        Assert.That(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.LessThanOrEqualTo(3));

        (code, output, error) = RunProcess("classify", Coral("cat.bmp"), "--tflite", Coral("mobilenet_v1_0.25_128_quant.tflite"), "--top", "3");
        Assert.That(code, Is.Zero, error);
        Assert.That(error, Is.Empty);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3).And.All.Match(PredictionLine()), "nothing but the three predictions");
        Assert.That(lines[0], Does.Contain("tiger cat"));
    }

    private static void AssertOneError(EffnetResult result, string mentions)
    {
        string[] lines = result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.Not.Empty);
        Assert.That(lines[0], Does.StartWith("error: "));
        Assert.That(result.Errors, Does.Contain(mentions));
        Assert.That(lines.Skip(1), Has.All.StartWith("hint: "), "one error line, then hints only");
        Assert.That(result.Errors, Does.Not.Contain("   at ").And.Not.Contain("Exception:"), "no stack trace");
        Assert.That(result.Output, Does.Not.Contain("error").And.Not.Contain("Exception"), "stdout carries no error");
    }

    private static (int Code, string Output, string Error) RunProcess(params string[] args)
    {
        ChildProcessResult result = ChildProcess.Effnet(null, args);
        return (result.ExitCode, result.Output, result.Error);
    }

    [GeneratedRegex(@"^\s*\d+\s+0\.\d{4}\s+\S")]
    private static partial Regex PredictionLine();
}
