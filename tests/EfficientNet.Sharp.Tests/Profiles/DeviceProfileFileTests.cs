using System.Text.Json.Nodes;
using EfficientNet.Sharp.Profiles;

namespace EfficientNet.Sharp.Tests.Profiles;

public class DeviceProfileFileTests
{
    private static readonly DeviceProfile Small = SyntheticProfiles.PowerLaw(keep: shape => shape.Kind is KernelKind.Linear or KernelKind.Add) with
    {
        Calibration = [new CalibrationNetwork("mobilenet_v2", 0.5, null, 128, 3.5)],
    };

    [Test]
    public void SaveThenLoad_GivesTheSameProfile()
    {
        using var folder = new TempFolder();
        string path = folder.File("device.json");
        Small.Save(path);

        DeviceProfile loaded = DeviceProfile.Load(path);

        Assert.That(loaded.Device with { InstructionSets = Small.Device.InstructionSets }, Is.EqualTo(Small.Device));
        Assert.That(loaded.Device.InstructionSets, Is.EqualTo(Small.Device.InstructionSets));
        Assert.That(loaded.Kernels, Is.EqualTo(Small.Kernels));
        Assert.That(loaded.Calibration, Is.EqualTo(Small.Calibration));
        Assert.That(loaded.DepthwiseChannelMultiple, Is.EqualTo(Small.DepthwiseChannelMultiple));
        Assert.That(File.ReadAllText(path), Does.Contain("\"schema_version\": 1").And.Contain("\"kind\": \"linear\""));
    }

    /// <summary>The blocked layout's multiple and block are optional: profiles written before they were probed load without them.</summary>
    [Test]
    public void TheBlockedLayoutMultiple_RoundTrips_AndMayBeAbsent()
    {
        using var folder = new TempFolder();
        (Small with { BlockedLayoutChannelMultiple = 4, BlockedLayoutBlock = 16 }).Save(folder.File("probed.json"));
        File.WriteAllText(folder.File("older.json"), Edit(node =>
        {
            node.AsObject().Remove("blocked_layout_channel_multiple");
            node.AsObject().Remove("blocked_layout_block");
        }));

        Assert.That(DeviceProfile.Load(folder.File("probed.json")).BlockedLayoutChannelMultiple, Is.EqualTo(4));
        Assert.That(DeviceProfile.Load(folder.File("probed.json")).BlockedLayoutBlock, Is.EqualTo(16));
        Assert.That(DeviceProfile.Load(folder.File("older.json")).BlockedLayoutChannelMultiple, Is.Null);
        Assert.That(DeviceProfile.Load(folder.File("older.json")).BlockedLayoutBlock, Is.Null);
        Assert.That(File.ReadAllText(folder.File("probed.json")), Does.Contain("\"blocked_layout_channel_multiple\": 4").And.Contain("\"blocked_layout_block\": 16"));
    }

    /// <summary>Weight streaming is optional: int8 profiles and profiles written before it was probed load without it.</summary>
    [Test]
    public void WeightStreaming_RoundTrips_AndMayBeAbsent()
    {
        using var folder = new TempFolder();
        var streaming = new WeightStreaming { CacheMegabytes = 16, GigabytesPerSecond = 20.5 };
        (Small with { WeightStreaming = streaming }).Save(folder.File("probed.json"));
        Small.Save(folder.File("older.json"));

        Assert.That(DeviceProfile.Load(folder.File("probed.json")).WeightStreaming, Is.EqualTo(streaming));
        Assert.That(DeviceProfile.Load(folder.File("older.json")).WeightStreaming, Is.Null);
        Assert.That(File.ReadAllText(folder.File("probed.json")), Does.Contain("\"weight_streaming\"").And.Contain("\"cache_megabytes\": 16").And.Contain("\"gigabytes_per_second\": 20.5"));
    }

    [TestCase("cache_megabytes", 0.0)]
    [TestCase("cache_megabytes", -4.0)]
    [TestCase("gigabytes_per_second", 0.0)]
    [TestCase("gigabytes_per_second", -1.0)]
    public void AWeightStreamingValueOutOfRange_IsRefusedNamingIt(string field, double value)
    {
        JsonNode node = JsonNode.Parse(Json(Small with { WeightStreaming = new WeightStreaming { CacheMegabytes = 16, GigabytesPerSecond = 20 } }))!;
        node["weight_streaming"]![field] = value;

        InvalidDataException error = Refused(node.ToJsonString(), out string path);

        Assert.That(error.Message, Does.Contain(path).And.Contain($"weight_streaming.{field}"));
    }

    [Test]
    public void AWeightStreamingWithoutItsBandwidth_IsRefusedNamingIt()
    {
        JsonNode node = JsonNode.Parse(Json(Small with { WeightStreaming = new WeightStreaming { CacheMegabytes = 16, GigabytesPerSecond = 20 } }))!;
        node["weight_streaming"]!.AsObject().Remove("gigabytes_per_second");

        InvalidDataException error = Refused(node.ToJsonString(), out string path);

        Assert.That(error.Message, Does.Contain(path).And.Contain("gigabytes_per_second"));
    }

    [Test]
    public void ATruncatedFile_IsRefusedNamingTheFile()
    {
        string json = Json(Small);
        InvalidDataException error = Refused(json[..(json.Length / 2)], out string path);
        Assert.That(error.Message, Does.Contain(path).And.Contain("does not parse"));
    }

    [Test]
    public void NotJson_IsRefused()
    {
        InvalidDataException error = Refused("device profile, version 1", out string path);
        Assert.That(error.Message, Does.Contain(path));
    }

    [Test]
    public void ANewerSchema_IsRefusedSayingWhichVersions()
    {
        InvalidDataException error = Refused(Edit(node => node["schema_version"] = 2), out string path);
        Assert.That(error.Message, Does.Contain(path).And.Contain("schema 2").And.Contain("schema 1"));
    }

    [Test]
    public void NoSchemaVersion_IsRefused()
    {
        InvalidDataException error = Refused(Edit(node => node.AsObject().Remove("schema_version")), out _);
        Assert.That(error.Message, Does.Contain("schema_version"));
    }

    // Each field the predictor reads, nulled or removed, is named in the message.
    [TestCase("device.runtime")]
    [TestCase("device.instruction_sets")]
    [TestCase("device.precision")]
    [TestCase("device.cpu_model")]
    [TestCase("kernels")]
    [TestCase("calibration")]
    [TestCase("device")]
    [TestCase("kernels[2].shape")]
    [TestCase("kernels[2].shape.variant")]
    public void ANullField_IsRefusedNamingIt(string field)
    {
        InvalidDataException error = Refused(Edit(node => Set(node, field, null)), out string path);
        Assert.That(error.Message, Does.Contain(path).And.Contain(field));
    }

    [TestCase("device.threads", 0, "device.threads")]
    [TestCase("depthwise_channel_multiple", 3, "depthwise_channel_multiple")]
    [TestCase("blocked_layout_channel_multiple", 12, "blocked_layout_channel_multiple")]
    [TestCase("blocked_layout_channel_multiple", -8, "blocked_layout_channel_multiple")]
    [TestCase("blocked_layout_block", 12, "blocked_layout_block")]
    [TestCase("blocked_layout_block", 128, "blocked_layout_block")]
    [TestCase("kernels[1].milliseconds", -1.0, "kernels[1]")]
    [TestCase("kernels[1].runs", 0, "kernels[1]")]
    [TestCase("kernels[1].shape.in_channels", 0, "kernels[1].shape")]
    [TestCase("calibration[0].milliseconds", 0.0, "calibration[0]")]
    [TestCase("device.precision", "float16", "device.precision")]
    public void AFieldOutOfRange_IsRefusedNamingIt(string field, object value, string named)
    {
        InvalidDataException error = Refused(Edit(node => Set(node, field, JsonValue.Create(value))), out string path);
        Assert.That(error.Message, Does.Contain(path).And.Contain(named));
    }

    [Test]
    public void AnUnknownKernelKind_IsRefusedNamingThePath()
    {
        InvalidDataException error = Refused(Edit(node => Set(node, "kernels[1].shape.kind", "winograd")), out string path);
        Assert.That(error.Message, Does.Contain(path).And.Contain("kernels[1].shape.kind"));
    }

    [Test]
    public void AMissingRequiredField_IsRefusedNamingIt()
    {
        InvalidDataException error = Refused(Edit(node => node.AsObject().Remove("depthwise_channel_multiple")), out string path);
        Assert.That(error.Message, Does.Contain(path).And.Contain("depthwise_channel_multiple"));
    }

    [Test]
    public void NoRunOverhead_IsRefused()
    {
        InvalidDataException error = Refused(Edit(node => node["kernels"]!.AsArray().RemoveAt(0)), out _);
        Assert.That(error.Message, Does.Contain("run_overhead"));
    }

    [Test]
    public void AMissingFile_IsFileNotFound()
    {
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => DeviceProfile.Load(folder.File("absent.json")));
    }

    private static string Json(DeviceProfile profile)
    {
        using var folder = new TempFolder();
        profile.Save(folder.File("p.json"));
        return File.ReadAllText(folder.File("p.json"));
    }

    private static string Edit(Action<JsonNode> edit)
    {
        JsonNode node = JsonNode.Parse(Json(Small))!;
        edit(node);
        return node.ToJsonString();
    }

    /// <summary>Sets a field given as a path such as <c>kernels[2].shape.variant</c>.</summary>
    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        JsonNode parent = root;
        string[] steps = path.Split('.');
        foreach (string step in steps[..^1])
        {
            parent = Step(parent, step);
        }

        string last = steps[^1];
        if (last.EndsWith(']'))
        {
            int open = last.IndexOf('[');
            parent[last[..open]]!.AsArray()[int.Parse(last[(open + 1)..^1])] = value;
        }
        else
        {
            parent[last] = value;
        }
    }

    private static JsonNode Step(JsonNode node, string step)
    {
        int open = step.IndexOf('[');
        return open < 0 ? node[step]! : node[step[..open]]!.AsArray()[int.Parse(step[(open + 1)..^1])]!;
    }

    private static InvalidDataException Refused(string json, out string path)
    {
        using var folder = new TempFolder();
        path = folder.File("device.json");
        File.WriteAllText(path, json);
        string file = path;
        return Assert.Throws<InvalidDataException>(() => DeviceProfile.Load(file))!;
    }
}
