using System.Text;

namespace EfficientNet.Sharp.Tests.Cli;

/// <summary>
/// effnet run against Debian 12's C++ runtime (libstdc++6 12.2, which lacks GLIBCXX_3.4.32), put first on
/// LD_LIBRARY_PATH of a child process: the failure is explained once, on stderr, with the fix, exit code 4,
/// and TorchSharp's own trace and fallback copy of libtorch never happen.
/// </summary>
[NonParallelizable]
public class LibTorchLoadFailureTests
{
    private const string MissingSymbol = "GLIBCXX_3.4.32";
    private TempFolder folder = null!;
    private string oldRuntime = null!;

    private static string Fallback => Path.Combine(AppContext.BaseDirectory, "cpu");

    [OneTimeSetUp]
    public void ExtractDebian12sLibStdCxx()
    {
        folder = new TempFolder();
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || !File.Exists("/usr/bin/dpkg-deb"))
        {
            Unavailable("this test needs Debian's apt-get and dpkg-deb");
        }

        (int download, string downloadOutput) = Run("apt-get", folder.Path, "download", "libstdc++6/bookworm");
        string? package = Directory.GetFiles(folder.Path, "libstdc++6_12*.deb").FirstOrDefault();
        if (download != 0 || package is null)
        {
            Unavailable($"'apt-get download libstdc++6/bookworm' failed: {downloadOutput.Trim()}");
        }

        Run("dpkg-deb", folder.Path, "-x", package!, "root");
        oldRuntime = Path.Combine(folder.Path, "root", "usr", "lib", "x86_64-linux-gnu");
        string library = Path.Combine(oldRuntime, "libstdc++.so.6");
        Assert.That(File.Exists(library), Is.True, "the package holds libstdc++.so.6");
        Assert.That(Encoding.Latin1.GetString(File.ReadAllBytes(library)), Does.Not.Contain(MissingSymbol), "Debian 12's runtime lacks the symbol version libtorch needs");
    }

    [OneTimeTearDown]
    public void RemoveIt() => folder.Dispose();

    [TestCase("classify", "{cat}", "--tflite", "{model}")]
    [TestCase("fit", "--latency-ms", "30")]
    public void CommandThatRunsTorch_ExplainsTheMissingRuntimeAndExitsWithFour(params string[] args)
    {
        args = [.. args.Select(a => a
            .Replace("{cat}", TestData.File("coral-test-data", "cat.bmp"), StringComparison.Ordinal)
            .Replace("{model}", TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"), StringComparison.Ordinal))];
        if (Directory.Exists(Fallback))
        {
            Directory.Delete(Fallback, recursive: true);
        }

        (int code, string output, string error) = RunEffnet(args);

        Assert.That(code, Is.EqualTo(4), error);
        Assert.That(output, Is.Empty, "TorchSharp's trace is not printed");
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.StartWith("error: libtorch cannot be loaded").And.Contain(MissingSymbol));
        Assert.That(lines.Skip(1), Has.All.StartWith("hint: "));
        Assert.That(error, Does.Contain(Path.Combine(AppContext.BaseDirectory, "eng", "install-prerequisites.sh")).And.Contain("apt-get install -t trixie libstdc++6"));
        Assert.That(File.Exists(Path.Combine(AppContext.BaseDirectory, "eng", "install-prerequisites.sh")), Is.True, "the script the hint names ships with the tool");
        Assert.That(Directory.Exists(Fallback), Is.False, "TorchSharp's fallback copy of libtorch (about 480 MB) is never made");
    }

    [Test]
    public void CommandThatNeedsNoTorch_StillWorks()
    {
        (int code, string output, string error) = RunEffnet("summary", "--phi", "1");

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("7,794,184"));
    }

    private (int Code, string Output, string Error) RunEffnet(params string[] args)
    {
        ChildProcessResult result = ChildProcess.Effnet(new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = oldRuntime }, args);
        return (result.ExitCode, result.Output, result.Error);
    }

    private static (int Code, string Output) Run(string program, string directory, params string[] args)
    {
        ChildProcessResult result = ChildProcess.Run(program, directory, null, args);
        return (result.ExitCode, result.Output + result.Error);
    }

    private static void Unavailable(string reason)
    {
        if (Environment.GetEnvironmentVariable(TestData.RequireVariable) == "1")
        {
            Assert.Fail($"Debian 12's C++ runtime is needed: {reason}.");
        }

        Assert.Ignore($"Debian 12's C++ runtime is needed: {reason}.");
    }
}
