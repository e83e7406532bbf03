using System.Buffers.Binary;
using System.IO.Compression;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Tests.Training;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// Sizes chosen by the user are checked before anything is allocated, files are read only when they are regular
/// and within their format's cap, and decompression stops at the size the header declares.
/// </summary>
[NonParallelizable]
public class ResourceLimitTests
{
    private static string Coral(string name) => TestData.File("coral-test-data", name);

    [TestCase("fit", "--latency-ms", "10", "--threads", "3000")]
    [TestCase("train", "--data", "/nonexistent", "--output", "o", "--threads", "3000")]
    [TestCase("evaluate", "--data", "/nonexistent", "--weights", "w", "--threads", "100000")]
    public void Threads_HaveACeiling(params string[] args)
    {
        ChildProcessResult result = ChildProcess.Effnet(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.StartWith("error: --threads must be 1 to"));
    }

    [Test]
    public void Fit_BatchTooLargeForThisMachine_IsRefusedNamingTheOption()
    {
        ChildProcessResult result = ChildProcess.Effnet(null, "fit", "--latency-ms", "30", "--batch", "100000");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("needs about").And.Contain("lower --batch"));
    }

    [Test]
    public void Export_ResolutionTooLargeForThisMachine_IsRefusedBeforeAnythingIsWritten()
    {
        using var folder = new TempFolder();
        string output = folder.File("huge.onnx");
        File.WriteAllText(output, "the previous export");

        ChildProcessResult result = ChildProcess.Effnet(null, "export", "--phi", "3", "--resolution", "8192", "--output", output);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("needs about").And.Contain("--resolution"));
        Assert.That(File.ReadAllText(output), Is.EqualTo("the previous export"));
    }

    [TestCase("classify", "{cat}", "--tflite", "{model}", "--labels", "/dev/zero")]
    [TestCase("summary", "--tflite", "/dev/zero")]
    [TestCase("export", "--tflite", "/dev/zero", "--output", "{out}")]
    [TestCase("classify", "/dev/zero", "--tflite", "{model}")]
    [TestCase("classify", "{cat}", "--onnx", "/dev/zero")]
    public void DeviceFiles_AreNotRead(params string[] args)
    {
        using var folder = new TempFolder();
        args = [.. args.Select(a => a.Replace("{cat}", Coral("cat.bmp"), StringComparison.Ordinal)
            .Replace("{model}", Coral("mobilenet_v1_0.25_128_quant.tflite"), StringComparison.Ordinal)
            .Replace("{out}", folder.File("x.onnx"), StringComparison.Ordinal))];

        ChildProcessResult result = ChildProcess.Effnet(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("'/dev/zero' is a device, FIFO or socket, not a regular file"));
    }

    [Test]
    public void GzippedIdx_DeclaringMoreThanTheLimit_IsRefusedAfterItsHeader()
    {
        using var folder = new TempFolder();
        string path = folder.File("bomb-images-idx3-ubyte.gz");
        WriteGzippedIdx(path, [int.MaxValue, 28, 28], zeros: 1_000);

        Assert.That(() => IdxDataset.Load(path, labelsPath: path, classNames: ["a"]), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contain(path).And.Message.Contain("over the 2,147,483,647-byte limit"));
    }

    [Test]
    public void GzippedIdx_ExpandingBeyondItsHeader_IsRefusedNamingTheFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("long-images-idx3-ubyte.gz");
        WriteGzippedIdx(path, [10, 28, 28], zeros: (10 * 28 * 28) + 50_000_000);

        Assert.That(() => IdxDataset.Load(path, labelsPath: path, classNames: ["a"]), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contain(path).And.Message.Contain("50,000,000 more bytes follow"));
    }

    /// <summary>A checkpoint's header describing a network far larger than its tensors is refused before the network is built.</summary>
    [Test]
    public void Evaluate_CheckpointWhoseRecipeIsLargerThanItsWeights_IsRefused()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), ["a", "b"], imagesPerClass: 2, size: 24);
        string checkpoint = folder.File("edited.safetensors");
        using (var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithResolution(32).WithNumClasses(2).BuildSpec()))
        {
            Dictionary<string, string> header = CheckpointFiles.Header(network, ["a", "b"]);
            header["effnet.network"] = """{"Model":"mobilenet_v1","Width":40,"Resolution":32}""";
            CheckpointFiles.Write(checkpoint, network, header);
        }

        ChildProcessResult result = ChildProcess.Effnet(null, "evaluate", "--data", folder.File("data"), "--weights", checkpoint);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain(checkpoint).And.Contain("records a network of"));
    }

    /// <summary>A path recorded inside a checkpoint is not the user's choice: evaluate asks for it instead of opening it.</summary>
    [Test]
    public void Evaluate_TfLitePathRecordedInACheckpoint_IsNotOpenedUnlessNamed()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), ["a", "b"], imagesPerClass: 2, size: 24);
        string checkpoint = folder.File("tflite-start.safetensors");
        using (var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithResolution(32).WithNumClasses(2).BuildSpec()))
        {
            Dictionary<string, string> header = CheckpointFiles.Header(network, ["a", "b"]);
            header["effnet.network"] = """{"Model":"efficientnet","TfLite":"/etc/shadow"}""";
            CheckpointFiles.Write(checkpoint, network, header);
        }

        ChildProcessResult result = ChildProcess.Effnet(null, "evaluate", "--data", folder.File("data"), "--weights", checkpoint);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain("'/etc/shadow'").And.Contain("--tflite FILE"));
    }

    private static void WriteGzippedIdx(string path, int[] dimensions, long zeros)
    {
        using FileStream file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        byte[] header = new byte[4 + (4 * dimensions.Length)];
        header[2] = 0x08;
        header[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * d)), dimensions[d]);
        }

        gzip.Write(header);
        byte[] block = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= block.Length)
        {
            gzip.Write(block, 0, (int)Math.Min(left, block.Length));
        }
    }
}
