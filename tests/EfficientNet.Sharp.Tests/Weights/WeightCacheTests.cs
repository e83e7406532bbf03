using System.Diagnostics;
using System.Security.Cryptography;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;
using TorchSharp.PyBridge;

namespace EfficientNet.Sharp.Tests.Weights;

/// <summary>Downloads against a server on 127.0.0.1 that serves a real PyTorch-format checkpoint written by the test.</summary>
[NonParallelizable]
public class WeightCacheTests
{
    private static readonly NetworkSpec Spec = new EfficientNetBuilder().WithPhi(-3).BuildSpec();
    private TempFolder folder = null!;
    private TestFileServer server = null!;
    private byte[] checkpoint = null!;
    private string sha256 = null!;

    [SetUp]
    public void SetUp()
    {
        folder = new TempFolder();
        server = new TestFileServer();
        string path = folder.File("source.pth");
        using (var model = new ConvNetwork(Spec))
        {
            model.save_py(path);
        }

        checkpoint = File.ReadAllBytes(path);
        sha256 = Convert.ToHexStringLower(SHA256.HashData(checkpoint));
        server.Add(FileName, checkpoint);
    }

    [TearDown]
    public void TearDown()
    {
        server.Dispose();
        folder.Dispose();
    }

    private string FileName => $"tiny-{TestContext.CurrentContext.Test.ID}.pth";

    private string CacheFolder => folder.File("cache");

    private PretrainedWeights Weights(string? hash = null) => new()
    {
        Name = "test weights",
        Source = WeightSource.Custom,
        FileName = FileName,
        Sha256 = hash ?? sha256,
        Architecture = Spec,
        Layout = KeyLayout.Torchvision,
        Transform = EvalTransform.ImageNet(96, 96, Interpolation.Bilinear),
    };

    private WeightCache Cache(int attempts = 3, bool offline = false, IReadOnlyList<string>? searchFolders = null, TimeSpan? readTimeout = null, TimeSpan? lockTimeout = null) => new(new WeightCacheOptions
    {
        Folder = CacheFolder,
        BaseAddress = server.BaseAddress,
        MaxAttempts = attempts,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        Offline = offline,
        SearchFolders = searchFolders ?? [],
        ReadTimeout = readTimeout ?? TimeSpan.FromSeconds(60),
        LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(30),
    });

    /// <summary>Files in the cache folder other than the lock files and the download records.</summary>
    private string[] LeftoverFiles() => Directory.Exists(CacheFolder)
        ? [.. Directory.GetFiles(CacheFolder).Select(Path.GetFileName).Where(n => !n!.EndsWith(".lock", StringComparison.Ordinal) && !n.EndsWith(".sha256", StringComparison.Ordinal))!]
        : [];

    [Test]
    public async Task Download_VerifiesAndCachesOnce()
    {
        var reports = new List<DownloadProgress>();
        WeightCache cache = Cache();

        string path = await cache.GetAsync(Weights(), new SynchronousProgress<DownloadProgress>(reports.Add));
        string again = await cache.GetAsync(Weights());

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(checkpoint));
        Assert.That(again, Is.EqualTo(path));
        Assert.That(server.Requests, Is.EqualTo(1), "the second call is served from the cache");
        Assert.That(reports[^1], Is.EqualTo(new DownloadProgress(FileName, checkpoint.Length, checkpoint.Length)));
        Assert.That(LeftoverFiles(), Is.EqualTo(new[] { FileName }));
        Assert.That(File.ReadAllText(path + ".sha256"), Is.EqualTo($"{sha256}  {FileName}\n"), "a sha256sum-style record of what the cache wrote");
    }

    [Test]
    public void Download_ThenLoad_GivesAWorkingModel()
    {
        using var model = new ConvNetwork(Spec);

        WeightLoadReport report = model.LoadPretrained(Weights(), Cache());

        Assert.That(report.Source, Is.EqualTo("test weights"));
        Assert.That(report.LoadedTensors, Is.EqualTo(model.state_dict().Count));
    }

    [Test]
    public void WrongHash_IsRejectedAndNothingIsCached()
    {
        string wrong = new string('0', 64);

        var exception = Assert.ThrowsAsync<InvalidDataException>(() => Cache().GetAsync(Weights(wrong)));

        Assert.That(exception!.Message, Does.Contain(sha256).And.Contain("discarded"));
        Assert.That(LeftoverFiles(), Is.Empty);
    }

    [Test]
    public void HashPrefix_IsCheckedAsTorchHubDoes()
    {
        Assert.That(async () => await Cache().GetAsync(Weights(sha256[..8])), Throws.Nothing);
        Assert.That(() => Cache().GetAsync(Weights("deadbeef")), Throws.InstanceOf<InvalidDataException>());
    }

    [Test]
    public void DroppedConnection_LeavesNoFileUnderTheFinalName()
    {
        server.DropNext(1);

        Assert.That(() => Cache(attempts: 1).GetAsync(Weights()), Throws.InstanceOf<HttpRequestException>());
        Assert.That(LeftoverFiles(), Is.Empty, "no partial or unverified file is left");
    }

    [Test]
    public async Task DroppedConnection_IsRetried()
    {
        server.DropNext(2);

        string path = await Cache(attempts: 3).GetAsync(Weights());

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(checkpoint));
        Assert.That(server.Requests, Is.EqualTo(3));
        Assert.That(LeftoverFiles(), Is.EqualTo(new[] { FileName }));
    }

    [Test]
    public void MissingFile_IsNotRetried()
    {
        PretrainedWeights missing = Weights() with { FileName = "no-such-file.pth" };

        Assert.That(() => Cache().GetAsync(missing), Throws.InstanceOf<HttpRequestException>().With.Message.Contain("404"));
        Assert.That(server.Requests, Is.EqualTo(1));
    }

    [Test]
    public void Cancellation_LeavesNoFile()
    {
        server.ChunkDelay = TimeSpan.FromMilliseconds(200);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        Assert.That(() => Cache().GetAsync(Weights(), cancellationToken: cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(LeftoverFiles(), Is.Empty);
    }

    [Test]
    public async Task Offline_ExplainsWhereToPutTheFile_AndUsesItOnceThere()
    {
        WeightCache offline = Cache(offline: true, searchFolders: [folder.File("torch-hub")]);

        var exception = Assert.ThrowsAsync<FileNotFoundException>(() => offline.GetAsync(Weights()));
        Assert.That(exception!.Message, Does.Contain(FileName).And.Contain(CacheFolder).And.Contain("torch-hub").And.Contain(sha256));
        Assert.That(server.Requests, Is.Zero);

        // A file the user already has in PyTorch's hub folder is used in place.
        Directory.CreateDirectory(folder.File("torch-hub"));
        await File.WriteAllBytesAsync(Path.Combine(folder.File("torch-hub"), FileName), checkpoint);
        Assert.That(await offline.GetAsync(Weights()), Is.EqualTo(Path.Combine(folder.File("torch-hub"), FileName)));
    }

    [Test]
    public async Task FileTheCacheDidNotWrite_IsLeftInPlace()
    {
        Directory.CreateDirectory(CacheFolder);
        string path = Path.Combine(CacheFolder, FileName);
        byte[] users = [1, 2, 3, 4, 5];
        await File.WriteAllBytesAsync(path, users);

        var exception = Assert.ThrowsAsync<InvalidDataException>(() => Cache().GetAsync(Weights()));

        Assert.That(exception!.Message, Does.Contain(path).And.Contain("did not write it").And.Contain("left in place"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(users));
        Assert.That(server.Requests, Is.Zero);
    }

    [Test]
    public async Task FileTheCacheWrote_ChangedSince_IsLeftInPlace()
    {
        string path = await Cache().GetAsync(Weights());
        byte[] changed = checkpoint[..100];
        await File.WriteAllBytesAsync(path, changed);

        Assert.That(() => Cache().GetAsync(Weights()), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("changed since"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(changed));
    }

    [Test]
    public async Task FileTheCacheWrote_IsReplacedWhenAnotherHashIsAskedFor()
    {
        await Cache().GetAsync(Weights());
        byte[] newer = [.. checkpoint.Reverse()];
        server.Add(FileName, newer);
        string newerHash = Convert.ToHexStringLower(SHA256.HashData(newer));

        string path = await Cache().GetAsync(Weights(newerHash));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(newer));
        Assert.That(File.ReadAllText(path + ".sha256"), Does.StartWith(newerHash));
        Assert.That(LeftoverFiles(), Is.EqualTo(new[] { FileName }));
    }

    private static IEnumerable<TestCaseData> UnsafeNames()
    {
        yield return new TestCaseData("{victim}").SetName("Rooted");
        yield return new TestCaseData("../victim.txt").SetName("EscapingRelative");
        yield return new TestCaseData("sub/../../victim.txt").SetName("WithSeparator");
        yield return new TestCaseData("..").SetName("ParentFolder");
        yield return new TestCaseData("").SetName("Empty");
        yield return new TestCaseData("*.txt").SetName("Wildcard");
        yield return new TestCaseData("victim.txt.partial").SetName("ReservedSuffix");
    }

    [TestCaseSource(nameof(UnsafeNames))]
    public void UnsafeFileName_IsRefusedBeforeTouchingTheDisk(string name)
    {
        string victim = folder.File("victim.txt");
        File.WriteAllText(victim, "important");
        name = name.Replace("{victim}", victim, StringComparison.Ordinal);

        Assert.That(() => Weights() with { FileName = name }, Throws.ArgumentException.With.Message.Contain("file name"));
        Cli.EffnetResult result = Cli.Effnet.Run("weights", "download", "--file", name, "--sha256", "7f5810bc", "--base-url", server.BaseAddress.ToString(), "--cache", CacheFolder);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Errors);
        Assert.That(result.Errors, Does.StartWith("error: ").And.Contain("file name"));
        Assert.That(File.ReadAllText(victim), Is.EqualTo("important"));
        Assert.That(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName), Is.EquivalentTo(new[] { "source.pth", "victim.txt" }), "no lock, record or cache folder is created");
        Assert.That(server.Requests, Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task StalledDownload_IsAbandonedAfterTheReadTimeoutAndRetried()
    {
        server.StallNext(1);
        var watch = Stopwatch.StartNew();

        string path = await Cache(attempts: 2, readTimeout: TimeSpan.FromMilliseconds(500)).GetAsync(Weights());

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(checkpoint));
        Assert.That(server.Requests, Is.EqualTo(2));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
    }

    [Test]
    [CancelAfter(30_000)]
    public void StalledOnEveryAttempt_FailsSayingSo_AndLeavesNoFile()
    {
        server.StallNext(10);

        Assert.That(
            () => Cache(attempts: 2, readTimeout: TimeSpan.FromMilliseconds(400)).GetAsync(Weights()),
            Throws.InstanceOf<HttpRequestException>().With.Message.Contain("stalled").And.Message.Contain("after 2 attempts"));
        Assert.That(LeftoverFiles(), Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public void WaitingForAnotherProcessesLock_IsReported()
    {
        Directory.CreateDirectory(CacheFolder);
        using var held = new FileStream(Path.Combine(CacheFolder, FileName + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var reports = new List<DownloadProgress>();

        Assert.That(
            () => Cache(lockTimeout: TimeSpan.FromSeconds(1)).GetAsync(Weights(), new SynchronousProgress<DownloadProgress>(reports.Add)),
            Throws.InstanceOf<TimeoutException>().With.Message.Contain(FileName));
        Assert.That(reports, Is.Not.Empty);
        Assert.That(reports, Has.All.Property(nameof(DownloadProgress.WaitingForLock)).Not.Null);
        Assert.That(server.Requests, Is.Zero);
    }

    [Test]
    [CancelAfter(120_000)]
    public void EightProcesses_EndWithOneValidFile()
    {
        server.ChunkDelay = TimeSpan.FromMilliseconds(20);
        string cli = Path.Combine(AppContext.BaseDirectory, "effnet.dll");
        Assert.That(File.Exists(cli), Is.True, "the CLI is copied next to the tests");

        var processes = Enumerable.Range(0, 8).Select(_ => Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "weights", "download", "--file", FileName, "--sha256", sha256, "--base-url", server.BaseAddress.ToString(), "--cache", CacheFolder },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!).ToList();
        var outputs = processes.Select(p => p.StandardOutput.ReadToEndAsync()).ToList();
        foreach (Process process in processes)
        {
            process.WaitForExit();
        }

        Assert.That(processes.Select(p => p.ExitCode), Is.All.Zero, string.Join(Environment.NewLine, outputs.Select(o => o.Result)));
        Assert.That(File.ReadAllBytes(Path.Combine(CacheFolder, FileName)), Is.EqualTo(checkpoint));
        Assert.That(LeftoverFiles(), Is.EqualTo(new[] { FileName }), "no temporary files are left");
        Assert.That(server.CompletedDownloads, Is.EqualTo(1), "one process downloads; the others wait for its verified file");
        foreach (Process process in processes)
        {
            process.Dispose();
        }
    }
}
