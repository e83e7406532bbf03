using System.Net.Sockets;
using System.Security.Cryptography;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Tests.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// An output replaces only a regular file (or nothing); anything else at the path, and any input given as the
/// output, is refused with exit 1 and left as it was. Checked through real <c>effnet</c> processes.
/// </summary>
[NonParallelizable]
public class OutputReplacementTests
{
    private static readonly string[] SmallNetwork = ["export", "--phi=-4", "--resolution", "32"];

    private static string Coral(string name) => TestData.File("coral-test-data", name);

    [Test]
    public void Directory_FifoSocketAndSymlink_AreRefusedAndLeftAsTheyWere()
    {
        using var folder = new TempFolder();
        string directory = folder.File("dir.onnx");
        Directory.CreateDirectory(directory);
        string fifo = folder.File("fifo.onnx");
        Assert.That(ChildProcess.Run("mkfifo", null, null, fifo).ExitCode, Is.Zero);
        string socketPath = folder.File("socket.onnx");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        string target = folder.File("target.txt");
        File.WriteAllText(target, "not yours");
        string link = folder.File("link.onnx");
        File.CreateSymbolicLink(link, target);

        foreach ((string path, FileEntryKind kind) in new[] { (directory, FileEntryKind.Directory), (fifo, FileEntryKind.Special), (socketPath, FileEntryKind.Special), (link, FileEntryKind.SymbolicLink) })
        {
            ChildProcessResult result = ChildProcess.Effnet(null, [.. SmallNetwork, "--output", path]);

            Assert.That(result.ExitCode, Is.EqualTo(1), path + ": " + result.Error);
            Assert.That(result.Error, Does.StartWith("error: Refusing to write").And.Contain(path));
            Assert.That(FileStatus.KindOf(path), Is.EqualTo(kind), $"{path} is still what it was");
        }

        Assert.That(File.ReadAllText(target), Is.EqualTo("not yours"), "the link's target is untouched");
        Assert.That(Directory.GetFiles(folder.Path, "*.tmp"), Is.Empty);
    }

    /// <summary>A device node of our own (as root, the case that turned /dev/null into a file); skipped where nodes cannot be made.</summary>
    [Test]
    public void DeviceNode_IsRefusedAndStaysADevice()
    {
        using var folder = new TempFolder();
        string device = folder.File("null.onnx");
        if (ChildProcess.Run("mknod", null, null, device, "c", "1", "3").ExitCode != 0)
        {
            Assert.Ignore("making a device node needs root (mknod)");
        }

        ChildProcessResult result = ChildProcess.Effnet(null, [.. SmallNetwork, "--output", device]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("device, FIFO or socket"));
        Assert.That(FileStatus.KindOf(device), Is.EqualTo(FileEntryKind.Special));
    }

    [Test]
    public void OutputThatIsAnInput_IsRefusedBeforeAnythingIsWritten()
    {
        using var folder = new TempFolder();
        string tflite = folder.File("in.tflite");
        File.Copy(Coral("mobilenet_v1_0.25_128_quant.tflite"), tflite);
        string weights = folder.File("mine.safetensors");
        using (ConvNetwork network = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).Build())
        {
            network.save(weights);
        }

        string hardLink = folder.File("same-inode.onnx");
        Assert.That(ChildProcess.Run("ln", null, null, weights, hardLink).ExitCode, Is.Zero);
        string before = Hash(tflite) + Hash(weights);

        (string[] Args, string Mentions)[] cases =
        [
            (["export", "--tflite", tflite, "--output", tflite], "it is the input"),
            ([.. SmallNetwork, "--weights", weights, "--output", weights], "it is the input"),
            ([.. SmallNetwork, "--weights", weights, "--output", Path.Combine(folder.Path, ".", "mine.safetensors")], "it is the input"),
            ([.. SmallNetwork, "--weights", weights, "--output", hardLink], "the same file under another name"),
        ];
        foreach ((string[] args, string mentions) in cases)
        {
            ChildProcessResult result = ChildProcess.Effnet(null, args);

            Assert.That(result.ExitCode, Is.EqualTo(1), string.Join(' ', args) + ": " + result.Error);
            Assert.That(result.Error, Does.Contain(mentions));
        }

        Assert.That(Hash(tflite) + Hash(weights), Is.EqualTo(before), "the inputs are untouched");
    }

    /// <summary>
    /// The model and its external data are one unit: when the model cannot be replaced (here an immutable file), the
    /// old model still reads its own old data, and the new data file is gone.
    /// </summary>
    [Test]
    public void ModelThatCannotBeReplaced_KeepsItsOwnData()
    {
        using var folder = new TempFolder();
        string path = folder.File("pair.onnx");
        var options = new OnnxExportOptions { ExternalDataThresholdBytes = 1000 };
        using ConvNetwork first = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-4).WithResolution(32).BuildSpec(), seed: 1);
        using ConvNetwork second = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-4).WithResolution(32).BuildSpec(), seed: 2);
        OnnxExportReport old = first.ExportOnnx(path, options);
        if (ChildProcess.Run("chattr", null, null, "+i", path).ExitCode != 0)
        {
            Assert.Ignore("chattr +i (root, and a file system with the immutable flag) is needed to make the model file unreplaceable");
        }

        try
        {
            Assert.That(() => second.ExportOnnx(path, options), Throws.InstanceOf<IOException>());
        }
        finally
        {
            ChildProcess.Run("chattr", null, null, "-i", path);
        }

        Assert.That(Directory.GetFiles(folder.Path, "pair.onnx.*.data"), Is.EqualTo(new[] { old.ExternalDataPath }), "only the old model's data remains");
        AssertComputes(path, first);
        Assert.That(Directory.GetFiles(folder.Path, "*.tmp"), Is.Empty);
    }

    /// <summary>A second export to the same name replaces the pair: the new model reads the new data, and the old data file is removed.</summary>
    [Test]
    public void SecondExport_ReplacesThePairAndRemovesTheOldData()
    {
        using var folder = new TempFolder();
        string path = folder.File("pair.onnx");
        var options = new OnnxExportOptions { ExternalDataThresholdBytes = 1000 };
        using ConvNetwork first = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-4).WithResolution(32).BuildSpec(), seed: 1);
        using ConvNetwork second = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-4).WithResolution(32).BuildSpec(), seed: 2);
        File.WriteAllText(path + ".data", "an export of release 0.2 left this");

        OnnxExportReport old = first.ExportOnnx(path, options);
        OnnxExportReport replaced = second.ExportOnnx(path, options);

        Assert.That(replaced.ExternalDataPath, Is.Not.EqualTo(old.ExternalDataPath), "different weights, different data file");
        Assert.That(Directory.GetFiles(folder.Path, "pair.onnx*"), Is.EquivalentTo(new[] { path, replaced.ExternalDataPath }));
        AssertComputes(path, second);
    }

    [Test]
    public void RegularFile_IsReplaced()
    {
        using var folder = new TempFolder();
        string path = folder.File("old.onnx");
        File.WriteAllText(path, "an older export");

        ChildProcessResult result = ChildProcess.Effnet(null, [.. SmallNetwork, "--output", path]);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(100_000));
    }

    private static void AssertComputes(string path, ConvNetwork network)
    {
        using InferenceSession session = OnnxRuntimeRun.Session(path);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        torch.Tensor input = torch.randn([1, 3, 32, 32], generator: new torch.Generator(5));
        torch.Tensor expected = network.call(input);
        Assert.That((OnnxRuntimeRun.Run(session, input) - expected).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-4f * expected.abs().max().item<float>()), "the model computes with its own weights");
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
