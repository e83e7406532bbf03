using System.Text.Json;

namespace EfficientNet.Sharp.Tests.Deploy;

/// <summary><c>effnet classify</c> as a batch tool, through a real process: files, folders, patterns, JSON lines, and failures that do not stop the run.</summary>
[NonParallelizable]
public class ClassifyBatchTests
{
    private static string Coral(string name) => TestData.File("coral-test-data", name);

    private static string Model => Coral("mobilenet_v1_0.5_160_quant.tflite");

    [Test]
    public void FilesFoldersAndPatterns_AsJsonLines_WithAFailureInItsPlace()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("photos/nested"));
        File.Copy(Coral("cat.bmp"), folder.File("photos/cat.bmp"));
        File.Copy(TestData.File("efficientnet-pytorch", "img.jpg"), folder.File("photos/nested/panda.jpg"));
        File.WriteAllBytes(folder.File("photos/broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        File.WriteAllText(folder.File("photos/notes.txt"), "not an image, and not taken from a folder");

        ChildProcessResult result = ChildProcess.Effnet(null, "classify", folder.File("photos"), "--recursive", Path.Combine(Path.GetDirectoryName(Coral("cat.bmp"))!, "*.bmp"), folder.File("missing.jpg"),
            "--tflite", Model, "--top", "2", "--json", "--batch", "2");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error.Trim(), Does.EndWith("error: 2 of 6 images could not be classified."));
        JsonElement[] lines = [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.That(lines.Select(l => Path.GetFileName(l.GetProperty("path").GetString())), Is.EqualTo(new[] { "broken.png", "cat.bmp", "panda.jpg", "cat.bmp", "grace_hopper.bmp", "missing.jpg" }));
        Assert.That(lines[0].GetProperty("error").GetString(), Does.Contain("broken.png"));
        Assert.That(lines[5].GetProperty("error").GetString(), Does.Contain("does not exist"));
        JsonElement cat = lines[1].GetProperty("predictions");
        Assert.That(cat.GetArrayLength(), Is.EqualTo(2));
        Assert.That(cat[0].GetProperty("label").GetString(), Is.EqualTo("Egyptian cat"));
        Assert.That(cat[0].GetProperty("index").GetInt32(), Is.EqualTo(286));
        Assert.That(cat[0].GetProperty("probability").GetDouble(), Is.InRange(0.5, 1.0));
        Assert.That(lines[2].GetProperty("predictions")[0].GetProperty("label").GetString(), Is.EqualTo("giant panda"));
    }

    /// <summary>Batching changes how images are run, not what they score.</summary>
    [Test]
    public void Batches_GiveTheSameAnswersAsOneByOne()
    {
        string photos = Path.GetDirectoryName(Coral("cat.bmp"))!;

        ChildProcessResult single = ChildProcess.Effnet(null, "classify", photos, TestData.File("efficientnet-pytorch", "img.jpg"), "--tflite", Model, "--json", "--batch", "1");
        ChildProcessResult batched = ChildProcess.Effnet(null, "classify", photos, TestData.File("efficientnet-pytorch", "img.jpg"), "--tflite", Model, "--json", "--batch", "16");

        Assert.That(single.ExitCode, Is.Zero, single.Error);
        Assert.That(batched.ExitCode, Is.Zero, batched.Error);
        string[] one = single.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), many = batched.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(many, Has.Length.EqualTo(3));
        for (int i = 0; i < one.Length; i++)
        {
            JsonElement a = JsonDocument.Parse(one[i]).RootElement.GetProperty("predictions"), b = JsonDocument.Parse(many[i]).RootElement.GetProperty("predictions");
            Assert.That(b[0].GetProperty("index").GetInt32(), Is.EqualTo(a[0].GetProperty("index").GetInt32()));
            Assert.That(b[0].GetProperty("probability").GetDouble(), Is.EqualTo(a[0].GetProperty("probability").GetDouble()).Within(1e-4));
        }

        Assert.That(single.Error, Is.Empty, "no progress lines when stderr is not a terminal");
    }
}
