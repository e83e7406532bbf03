using System.Buffers.Binary;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Tests.Training;
using Google.Protobuf;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// Bad files exit with 1 and name the file, bad command lines with 2, never 70 ("a bug in effnet"); messages name
/// options as the user typed them, never .NET types, and ONNX Runtime's own log stays off stderr.
/// </summary>
[NonParallelizable]
public class ExitCodeTests
{
    private static string Cat => TestData.File("coral-test-data", "cat.bmp");

    [Test]
    public void OnnxFilesTheClassifierCannotUse_ExitWithOneNamingTheFile()
    {
        using var folder = new TempFolder();
        using ConvNetwork rgb = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).Build();
        using ConvNetwork grey = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).WithInputChannels(1).Build();
        var transform = EvalTransform.ImageNet(37, 32, Interpolation.Bilinear);
        string mismatchedCrop = folder.File("crop.onnx");
        rgb.ExportOnnx(mismatchedCrop, new OnnxExportOptions { Transform = transform });
        Rewrite(mismatchedCrop, model => model.MetadataProps.Single(p => p.Key == "preprocessing").Value = EvalTransformJson.Write(transform with { CropSize = 40 }));
        string oneChannel = folder.File("grey.onnx");
        grey.ExportOnnx(oneChannel, new OnnxExportOptions { Transform = transform });
        string batchOfTwo = folder.File("two.onnx");
        rgb.ExportOnnx(batchOfTwo, new OnnxExportOptions { Transform = transform, DynamicBatch = false });
        Rewrite(batchOfTwo, model => model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue = 2);
        string damaged = folder.File("damaged.onnx");
        File.WriteAllBytes(damaged, File.ReadAllBytes(mismatchedCrop)[..5000]);

        foreach ((string file, string mentions) in new[] { (mismatchedCrop, "crops 40 × 40"), (oneChannel, "1-channel"), (batchOfTwo, "exactly 2 images"), (damaged, "ONNX Runtime cannot load") })
        {
            ChildProcessResult result = ChildProcess.Effnet(null, "classify", Cat, "--onnx", file);

            Assert.That(result.ExitCode, Is.EqualTo(1), file + ": " + result.Error);
            Assert.That(result.Error, Does.StartWith($"error: '{file}'").Or.StartWith($"error: ONNX Runtime cannot load '{file}'"));
            Assert.That(result.Error, Does.Contain(mentions));
            Assert.That(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "no ONNX Runtime log beside the error");
        }
    }

    [Test]
    public void BatchOfOneExport_ClassifiesImageByImage()
    {
        using var folder = new TempFolder();
        using ConvNetwork network = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).Build();
        string path = folder.File("one.onnx");
        network.ExportOnnx(path, new OnnxExportOptions { Transform = EvalTransform.ImageNet(37, 32, Interpolation.Bilinear), DynamicBatch = false });

        using var classifier = new OnnxClassifier(path);
        IReadOnlyList<IReadOnlyList<Prediction>> batch = classifier.ClassifyBatch([Cat, Cat], topK: 1);

        Assert.That(batch, Has.Count.EqualTo(2));
        Assert.That(batch[1][0].ClassIndex, Is.EqualTo(batch[0][0].ClassIndex));
    }

    [Test]
    public void DamagedTrainingCheckpoints_ExitWithOneNamingTheFile()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), ["a", "b"], imagesPerClass: 4, size: 24);
        using var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithResolution(32).WithNumClasses(2).BuildSpec());
        string[] common = ["--model", "mobilenet_v1", "--width", "0.25", "--resolution", "32", "--batch", "4"];
        (string Key, string Value, string[] Command, string Mentions)[] cases =
        [
            ("classes", "[not json", ["evaluate", "--data", folder.File("data"), .. common, "--weights", "{file}"], "classes"),
            ("epoch", "99999999999", ["train", "--data", folder.File("data"), .. common, "--epochs", "1", "--output", "{dir}", "--resume"], "epoch = '99999999999'"),
            ("epoch", "-5", ["train", "--data", folder.File("data"), .. common, "--epochs", "1", "--output", "{dir}", "--resume"], "epoch = '-5'"),
            ("transform", """{"Resolution":32,"Channels":3,"Mean":[0.5,0.5,0.5],"Std":[0,0,0]}""", ["evaluate", "--data", folder.File("data"), .. common, "--weights", "{file}"], "Std"),
            ("transform", """{"Resolution":32,"Channels":7}""", ["evaluate", "--data", folder.File("data"), .. common, "--weights", "{file}"], "Channels"),
            ("options", "{broken", ["train", "--data", folder.File("data"), .. common, "--epochs", "1", "--output", "{dir}", "--resume"], "options"),
        ];
        int i = 0;
        foreach ((string key, string value, string[] command, string mentions) in cases)
        {
            string dir = folder.File($"run{i++}");
            Directory.CreateDirectory(dir);
            string file = Path.Combine(dir, "last.safetensors");
            Dictionary<string, string> header = CheckpointFiles.Header(network, ["a", "b"]);
            header[key] = value;
            CheckpointFiles.Write(file, network, header);
            string[] args = [.. command.Select(a => a.Replace("{file}", file, StringComparison.Ordinal).Replace("{dir}", dir, StringComparison.Ordinal))];

            ChildProcessResult result = ChildProcess.Effnet(null, args);

            Assert.That(result.ExitCode, Is.EqualTo(1), $"{key} = {value}: {result.Error}");
            Assert.That(result.Error, Does.Contain(file).And.Contain(mentions));
            Assert.That(result.Output, Does.Not.Contain("Resuming"), "nothing is resumed from a damaged header");
        }
    }

    [Test]
    public void IdxHeaderWhoseSizeOverflows_IsABadFileWithAPositiveOffset()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("fashion"));
        byte[] header = new byte[16];
        header[2] = 0x08;
        header[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), int.MaxValue);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), int.MaxValue);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), int.MaxValue);
        File.WriteAllBytes(folder.File("fashion/t10k-images-idx3-ubyte"), header);
        File.WriteAllBytes(folder.File("fashion/t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 0]);

        ChildProcessResult result = ChildProcess.Effnet(null, "evaluate", "--fashion-mnist", folder.File("fashion"), "--weights", Cat);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("t10k-images-idx3-ubyte").And.Contain("at byte offset 4,").And.Not.Contain("offset -"));
    }

    [Test]
    public void FashionMnistWithTooFewTrainingImages_SaysTheyAllWentToValidation()
    {
        using var folder = new TempFolder();
        string fashion = folder.File("fashion");
        Directory.CreateDirectory(fashion);
        IdxFiles.Write(Path.Combine(fashion, "train-images-idx3-ubyte"), [100, 28, 28]);
        IdxFiles.Write(Path.Combine(fashion, "train-labels-idx1-ubyte"), [100]);
        IdxFiles.Write(Path.Combine(fashion, "t10k-images-idx3-ubyte"), [10, 28, 28]);
        IdxFiles.Write(Path.Combine(fashion, "t10k-labels-idx1-ubyte"), [10]);

        ChildProcessResult result = ChildProcess.Effnet(null, "train", "--fashion-mnist", fashion, "--phi=-4", "--resolution", "32", "--epochs", "1", "--output", folder.File("run"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("100 training images").And.Contain("held out"));
    }

    [TestCase(new[] { "train", "--data", "{data}", "--output", "{run}", "--lr", "1e308" }, "LearningRate")]
    [TestCase(new[] { "summary", "--resolution", "abc" }, "--resolution takes a number, not 'abc'")]
    [TestCase(new[] { "fit", "--pretrained", "--latency-ms", "30", "--resolution", "300" }, "--resolution belongs to the φ search")]
    [TestCase(new[] { "fit", "--pretrained", "--latency-ms", "30", "--classes", "10", "--min-phi=-2" }, "--classes, --min-phi belong to the φ search")]
    public void UsageErrors_ExitWithTwo_InTheUsersTerms(string[] args, string mentions)
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), ["a", "b"], imagesPerClass: 4, size: 24);
        args = [.. args.Select(a => a.Replace("{data}", folder.File("data"), StringComparison.Ordinal).Replace("{run}", folder.File("run"), StringComparison.Ordinal))];

        ChildProcessResult result = ChildProcess.Effnet(null, args);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Does.Contain(mentions).And.Not.Contain("`1").And.Not.Contain("Nullable"));
    }

    [Test]
    public void Fit_TfLiteOption_TakesAFile()
    {
        string lite = TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite");

        ChildProcessResult result = ChildProcess.Effnet(null, "fit", "--pretrained", "--max-params", "1000", "--tflite-candidates", lite);

        Assert.That(result.Error, Does.Not.Contain("folder does not exist"));
        Assert.That(result.ExitCode, Is.EqualTo(5), result.Error + result.Output);
        Assert.That(result.Error, Does.Contain("Skipped mobilenet_v1_0.25_128_quant.tflite"), "the file was read and judged (a note, on stderr)");
    }

    private static void Rewrite(string path, Action<ModelProto> change)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        change(model);
        File.WriteAllBytes(path, model.ToByteArray());
    }
}
