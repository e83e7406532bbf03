using System.Globalization;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Scaling;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>
/// A checkpoint's classifier is never paired silently with a random one: classify and export take the file's class
/// count and names, refuse a conflicting <c>--classes</c>, and start a new classifier only with <c>--new-classifier</c>.
/// </summary>
public class CheckpointClassesTests
{
    private static readonly string[] Names = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

    private static string Cat => TestData.File("coral-test-data", "cat.bmp");

    [Test]
    public void Classify_WithATenClassCheckpoint_UsesItsClassesAndNames()
    {
        using var folder = new TempFolder();
        string checkpoint = TenClassCheckpoint(folder, new EfficientNetBuilder().WithNumClasses(10).BuildSpec());

        ChildProcessResult result = ChildProcess.Effnet(null, "classify", Cat, "--model", "efficientnet_b0", "--weights", checkpoint, "--top", "3");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        foreach (string line in lines)
        {
            string[] fields = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            Assert.That(int.Parse(fields[0], CultureInfo.InvariantCulture), Is.InRange(0, 9));
            Assert.That(double.Parse(fields[1], CultureInfo.InvariantCulture), Is.InRange(0.0, 1.0), "a probability, not NaN");
            Assert.That(Names, Does.Contain(fields[2].Trim()), "the checkpoint's class names, not ImageNet's");
        }

        Assert.That(result.Error.Trim(), Does.StartWith("Loaded").And.Contain("classifier: the checkpoint's (10 classes)"), "the load summary, on stderr");
    }

    [Test]
    public void Export_WithATenClassCheckpoint_WritesItsClassesAndNames()
    {
        using var folder = new TempFolder();
        string checkpoint = TenClassCheckpoint(folder, new EfficientNetBuilder().WithPhi(-4).WithResolution(32).WithNumClasses(10).BuildSpec());
        string onnx = folder.File("m.onnx");

        ChildProcessResult result = ChildProcess.Effnet(null, "export", "--phi=-4", "--resolution", "32", "--weights", checkpoint, "--output", onnx);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("logits [batch, 10]").And.Contain("labels: 10 names"));
        Dictionary<string, string> metadata = Metadata(onnx);
        Assert.That(metadata["classes"], Is.EqualTo("10"));
        Assert.That(metadata["labels"].Split('\n'), Is.EqualTo(Names));
    }

    [Test]
    public void Export_WithConflictingClasses_IsRefusedNamingBothCounts_UnlessANewClassifierIsAskedFor()
    {
        using var folder = new TempFolder();
        string checkpoint = TenClassCheckpoint(folder, new EfficientNetBuilder().WithPhi(-4).WithResolution(32).WithNumClasses(10).BuildSpec());
        string onnx = folder.File("m.onnx");

        ChildProcessResult refused = ChildProcess.Effnet(null, "export", "--phi=-4", "--resolution", "32", "--classes", "1000", "--weights", checkpoint, "--output", onnx);
        ChildProcessResult replaced = ChildProcess.Effnet(null, "export", "--phi=-4", "--resolution", "32", "--classes", "1000", "--weights", checkpoint, "--new-classifier", "--output", onnx);

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Error);
        Assert.That(refused.Error, Does.Contain("10 classes").And.Contain("--classes asks for 1000").And.Contain("--new-classifier"));
        Assert.That(replaced.ExitCode, Is.Zero, replaced.Error);
        Assert.That(replaced.Error, Does.Contain("classifier: new and untrained (1000 classes"));
        Assert.That(Metadata(onnx).ContainsKey("labels"), Is.False, "an untrained classifier's classes have no names");
    }

    private static string TenClassCheckpoint(TempFolder folder, EfficientNet.Sharp.Specs.NetworkSpec spec)
    {
        string path = folder.File("ten.safetensors");
        using ConvNetwork network = RandomStatistics.Network(spec);
        CheckpointFiles.Write(path, network, CheckpointFiles.Header(network, Names));
        return path;
    }

    private static Dictionary<string, string> Metadata(string onnx) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
}
