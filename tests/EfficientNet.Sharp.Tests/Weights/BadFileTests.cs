using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;
using TorchSharp.PyBridge;

namespace EfficientNet.Sharp.Tests.Weights;

/// <summary>Files that cannot be loaded fail with an exception that names the file and the problem.</summary>
public class BadFileTests
{
    private static readonly NetworkSpec Small = new EfficientNetBuilder().WithPhi(-3).BuildSpec();

    [Test]
    public void EmptyFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("empty.pth");
        File.WriteAllBytes(path, []);

        Assert.That(() => Checkpoint.Read(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("empty.pth").And.Message.Contain("empty"));
    }

    [Test]
    public void MissingFile()
    {
        Assert.That(() => Checkpoint.Read("/no/such/weights.pth"), Throws.InstanceOf<FileNotFoundException>().With.Message.Contain("weights.pth"));
    }

    [Test]
    public void RandomBytes()
    {
        using var folder = new TempFolder();
        string path = folder.File("noise.bin");
        byte[] noise = new byte[4096];
        new Random(3).NextBytes(noise);
        noise[0] = 0x13;
        File.WriteAllBytes(path, noise);

        Assert.That(() => Checkpoint.Read(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("noise.bin").And.Message.Contain("not a PyTorch, safetensors or TorchSharp weights file"));
    }

    [TestCase("pth")]
    [TestCase("safetensors")]
    [TestCase("dat")]
    public void TruncatedFile(string format)
    {
        using var folder = new TempFolder();
        string whole = folder.File($"whole.{format}");
        using (var model = new ConvNetwork(Small))
        {
            switch (format)
            {
                case "pth": model.save_py(whole); break;
                case "safetensors": model.save_safetensors(whole); break;
                default: model.save(whole); break;
            }
        }

        byte[] bytes = File.ReadAllBytes(whole);
        string truncated = folder.File($"truncated.{format}");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        Assert.That(() => Checkpoint.Read(truncated), Throws.InstanceOf<InvalidDataException>().With.Message.Contain($"truncated.{format}"));
    }

    [Test]
    public void TruncatedLegacyFile()
    {
        using var folder = new TempFolder();
        byte[] bytes = File.ReadAllBytes(TestData.File("face-detector-1mb", "mobilenet0.25_Final.pth"));
        string truncated = folder.File("legacy-truncated.pth");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 1000)]);

        Assert.That(() => Checkpoint.Read(truncated), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("legacy-truncated.pth").And.Message.Contain("truncated"));
    }

    [Test]
    public void WrongShape()
    {
        using var folder = new TempFolder();
        using var model = new ConvNetwork(Small);
        var tensors = model.state_dict().ToDictionary(e => e.Key, e => e.Key == "features.0.0.weight" ? e.Value[..16] : e.Value);
        string path = folder.File("narrow-stem.safetensors");
        Safetensors.SaveStateDict(path, tensors);

        var exception = Assert.Throws<WeightMismatchException>(() => new ConvNetwork(Small).LoadWeights(path));

        Assert.That(exception!.Mismatched.Single(), Is.EqualTo(("features.0.0.weight", "[24, 3, 3, 3] Float32", "[16, 3, 3, 3] Float32")));
        Assert.That(exception.Message, Does.Contain("narrow-stem.safetensors"));
    }

    [Test]
    public void FileWithoutAStateDict()
    {
        string path = TestData.File("gopickle", "tensor_float32_proto2_zip.pt");

        Assert.That(() => new ConvNetwork(Small).LoadWeights(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("holds no state dict").And.Message.Contain("single tensor"));
    }

    private static IEnumerable<TestCaseData> HostileSafetensorsHeaders()
    {
        yield return new TestCaseData("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}", "more elements than any file can hold").SetName("ShapeThatOverflows");
        yield return new TestCaseData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,-2],\"data_offsets\":[0,16]}}", "non-negative integers").SetName("NegativeShape");
        yield return new TestCaseData("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"a\"],\"data_offsets\":[0,4]}}", "'shape' of tensor 'w' is [\"a\"]").SetName("ShapeOfStrings");
        yield return new TestCaseData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "tensor 'w' has no 'data_offsets'").SetName("MissingDataOffsets");
        yield return new TestCaseData("{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", "'dtype' of tensor 'w' is number 7").SetName("DtypeNotAString");
        yield return new TestCaseData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "does not fit").SetName("ReversedByteRange");
        yield return new TestCaseData("{\"w\":[1,2]}", "not a JSON object").SetName("EntryNotAnObject");
    }

    [TestCaseSource(nameof(HostileSafetensorsHeaders))]
    public void SafetensorsWithAHostileHeader_NamesTheFileTensorAndField(string header, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.File("hostile.safetensors");
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header);
        byte[] file = [.. BitConverter.GetBytes((long)json.Length), .. json, .. new byte[16]];
        File.WriteAllBytes(path, file);

        Assert.That(() => Checkpoint.Read(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("hostile.safetensors").And.Message.Contain(expected));
    }
}
