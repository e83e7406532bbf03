using System.Collections;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Weights;

public class WeightLoaderTests
{
    /// <summary>Eval-mode logits of a fixed random batch.</summary>
    private static float[] Logits(ConvNetwork model, int channels = 3, int size = 64)
    {
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var generator = new torch.Generator(7);
        return model.call(torch.randn([2, channels, size, size], generator: generator)).data<float>().ToArray();
    }

    /// <summary>A network whose BatchNorm statistics are not the defaults, so that loading them matters.</summary>
    private static ConvNetwork Trained(NetworkSpec spec)
    {
        var model = new ConvNetwork(spec);
        using var noGrad = torch.no_grad();
        foreach ((string name, Tensor buffer) in model.named_buffers())
        {
            if (name.EndsWith("running_var", StringComparison.Ordinal))
            {
                buffer.uniform_(0.5, 1.5);
            }
            else if (name.EndsWith("running_mean", StringComparison.Ordinal))
            {
                buffer.normal_(0, 0.1);
            }
        }

        return model;
    }

    [TestCase("pth")]
    [TestCase("safetensors")]
    [TestCase("dat")]
    public void RoundTrip_ThroughEachFormat_GivesIdenticalOutputs(string format)
    {
        using var folder = new TempFolder();
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-1).BuildSpec();
        using ConvNetwork original = Trained(spec);
        string path = folder.File($"weights.{format}");
        switch (format)
        {
            case "pth": original.save_py(path); break;
            case "safetensors": original.save_safetensors(path); break;
            default: original.save(path); break;
        }

        using var copy = new ConvNetwork(spec);
        WeightLoadReport report = copy.LoadWeights(path);

        Assert.That(Logits(copy), Is.EqualTo(Logits(original)));
        Assert.That(report.LoadedTensors, Is.EqualTo(copy.state_dict().Count));
        Assert.That(copy.parameters().All(p => p.requires_grad), Is.True, "loaded parameters stay trainable");
    }

    private static IEnumerable<TestCaseData> Layouts()
    {
        yield return new TestCaseData(new EfficientNetBuilder().BuildSpec(), KeyLayout.Timm).SetName("{m}_B0_Timm");
        yield return new TestCaseData(new EfficientNetBuilder().BuildSpec(), KeyLayout.Lukemelas).SetName("{m}_B0_Lukemelas");
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(1).WithResolution(64).BuildSpec(), KeyLayout.Timm).SetName("{m}_B1_Timm");
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(1).WithResolution(64).BuildSpec(), KeyLayout.Lukemelas).SetName("{m}_B1_Lukemelas");
        yield return new TestCaseData(new MobileNetV2Builder().BuildSpec(), KeyLayout.Timm).SetName("{m}_MobileNetV2_Timm");
    }

    [TestCaseSource(nameof(Layouts))]
    public void OtherLayouts_LoadBackIntoTheSameOutputs(NetworkSpec spec, KeyLayout layout)
    {
        using var folder = new TempFolder();
        using ConvNetwork original = Trained(spec);
        IReadOnlyDictionary<string, string> names = KeyMapping.ToLayout(spec, layout);
        var renamed = new Hashtable();
        foreach ((string key, Tensor value) in original.state_dict())
        {
            renamed[names[key]] = value;
        }

        string path = folder.File("renamed.pth");
        PyTorchPickler.PickleStateDict(path, renamed);

        using var copy = new ConvNetwork(spec);
        WeightLoadReport report = copy.LoadWeights(path);

        Assert.That(report.Layout, Is.EqualTo(layout));
        Assert.That(Logits(copy), Is.EqualTo(Logits(original)));
        Assert.That(names.Values, layout == KeyLayout.Timm ? Does.Contain("conv_stem.weight") : Does.Contain("_conv_stem.weight"));
    }

    [Test]
    public void KeyMapping_CoversEveryTensorOfTheNetwork()
    {
        NetworkSpec[] specs =
        [
            new EfficientNetBuilder().WithPhi(3).BuildSpec(), new MobileNetV2Builder().BuildSpec(), new MobileNetV1Builder().BuildSpec(),
            new MobileNetV3Builder().BuildSpec(), new EfficientNetV2Builder().BuildSpec(), .. RandomSpecs.Generate(12, seed: 1205),
        ];
        foreach (NetworkSpec spec in specs)
        {
            using var model = new ConvNetwork(spec);
            Assert.That(KeyMapping.ToLayout(spec, KeyLayout.Torchvision).Keys, Is.EquivalentTo(model.state_dict().Keys), spec.Name);
        }

        Assert.That(() => KeyMapping.ToLayout(new MobileNetV2Builder().BuildSpec(), KeyLayout.Lukemelas), Throws.InstanceOf<NotSupportedException>());
    }

    [Test]
    public void AnotherArchitecture_IsRejectedListingEveryProblem()
    {
        using var folder = new TempFolder();
        using var b0 = new EfficientNetBuilder().Build();
        string path = folder.File("b0.pth");
        b0.save_py(path);
        using var b1 = new EfficientNetBuilder().WithPhi(1).Build();
        float[] before = Logits(b1);

        var exception = Assert.Throws<WeightMismatchException>(() => b1.LoadWeights(path));

        Assert.That(exception!.Message, Does.Contain("b0.pth"));
        Assert.That(exception.Missing, Does.Contain("features.1.1.block.0.0.weight"), "B1 has a second block in stage 1");
        Assert.That(exception.Missing, Has.Count.GreaterThan(10));
        Assert.That(exception.Message, Does.Contain("missing: features.1.1.block.0.0.weight"));
        Assert.That(Logits(b1), Is.EqualTo(before), "a failed strict load changes nothing");
    }

    [Test]
    public void NonStrict_LoadsWhatFitsAndReportsTheRest()
    {
        using var folder = new TempFolder();
        using var b0 = Trained(new EfficientNetBuilder().BuildSpec());
        string path = folder.File("b0.pth");
        b0.save_py(path);
        using var b1 = new EfficientNetBuilder().WithPhi(1).Build();

        WeightLoadReport report = b1.LoadWeights(path, new WeightLoadOptions { Strict = false });

        Assert.That(report.Skipped, Has.Some.Contain("features.1.1.block.0.0.weight: not in the checkpoint"));
        Assert.That(report.LoadedTensors, Is.GreaterThan(100));
        Assert.That(b1.state_dict()["features.0.0.weight"].allclose(b0.state_dict()["features.0.0.weight"]), Is.True);
    }

    [Test]
    public void NewNumberOfClasses_AskedFor_LoadsTheBackboneAndKeepsTheNewHead()
    {
        using var folder = new TempFolder();
        using var pretrained = Trained(new EfficientNetBuilder().BuildSpec());
        string path = folder.File("b0.pth");
        pretrained.save_py(path);
        using var tuned = new EfficientNetBuilder().WithNumClasses(10).Build();
        using Tensor headBefore = tuned.state_dict()["classifier.1.weight"].clone();

        WeightLoadReport report = tuned.LoadWeights(path, new WeightLoadOptions { KeepNewClassifier = true });

        Assert.That(report.Notes, Has.Some.Contain("classifier.1.weight kept the network's new values"));
        Assert.That(report.Classifier, Is.EqualTo(ClassifierOutcome.Replaced));
        Assert.That(report.Summary, Does.Contain("classifier: new and untrained (10 classes"));
        Assert.That(tuned.state_dict()["classifier.1.weight"].allclose(headBefore, rtol: 0, atol: 0), Is.True);
        Assert.That(tuned.state_dict()["features.8.0.weight"].allclose(pretrained.state_dict()["features.8.0.weight"], rtol: 0, atol: 0), Is.True);
    }

    /// <summary>Weights are never silently paired with a random classifier: without the option, another class count is refused, naming both.</summary>
    [Test]
    public void NewNumberOfClasses_NotAskedFor_IsRefusedNamingBothCounts()
    {
        using var folder = new TempFolder();
        using var pretrained = Trained(new EfficientNetBuilder().WithNumClasses(10).BuildSpec());
        string path = folder.File("b0-10.pth");
        pretrained.save_py(path);
        using var imageNet = new EfficientNetBuilder().Build();
        using Tensor stemBefore = imageNet.state_dict()["features.0.0.weight"].clone();

        Assert.That(() => imageNet.LoadWeights(path), Throws.InstanceOf<WeightMismatchException>()
            .With.Message.StartsWith($"The weights in '{path}' have a classifier for 10 classes but efficientnet_b0 has 1000"));
        Assert.That(imageNet.state_dict()["features.0.0.weight"].equal(stemBefore).all().item<bool>(), Is.True, "nothing was loaded");

        // The checkpoint itself says which architecture it fits.
        using Checkpoint checkpoint = Checkpoint.Read(path);
        NetworkSpec fitted = checkpoint.FitClassifier(imageNet.Spec);
        Assert.That(fitted.Classifier.NumClasses, Is.EqualTo(10));
        using var fits = new ConvNetwork(fitted);
        WeightLoadReport report = fits.LoadCheckpoint(checkpoint);
        Assert.That((report.Classifier, report.Classes), Is.EqualTo((ClassifierOutcome.Loaded, 10)));
        Assert.That(report.Summary, Does.Contain("classifier: the checkpoint's (10 classes)"));
    }

    [TestCase(1)]
    [TestCase(4)]
    public void OtherInputChannels_AdaptTheStemAsTimmDoes(int channels)
    {
        using var folder = new TempFolder();
        using var rgb = Trained(new EfficientNetBuilder().BuildSpec());
        string path = folder.File("b0.pth");
        rgb.save_py(path);
        using var model = new EfficientNetBuilder().WithInputChannels(channels).Build();

        WeightLoadReport report = model.LoadWeights(path);

        Tensor source = rgb.state_dict()["features.0.0.weight"];
        Tensor adapted = model.state_dict()["features.0.0.weight"];
        Assert.That(report.Notes, Has.Some.Contain("stem"));
        if (channels == 1)
        {
            Assert.That(adapted.allclose(source.sum(1, keepdim: true), atol: 1e-6), Is.True);
        }
        else
        {
            // Channels R, G, B, R, each scaled by 3/4.
            Assert.That(adapted[.., 3].allclose(source[.., 0] * 0.75, atol: 1e-6), Is.True);
            Assert.That(adapted[.., 1].allclose(source[.., 1] * 0.75, atol: 1e-6), Is.True);
        }

        Assert.That(Logits(model, channels).All(float.IsFinite), Is.True);
    }

    [TestCase(ScalarType.Float16, 2e-3)]
    [TestCase(ScalarType.BFloat16, 2e-2)]
    public void HalfPrecisionCheckpoints_LoadIntoFloat32(ScalarType type, double tolerance)
    {
        using var folder = new TempFolder();
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-2).BuildSpec();
        using var original = Trained(spec);
        var half = original.state_dict().ToDictionary(e => e.Key, e => e.Value.is_floating_point() ? e.Value.to_type(type) : e.Value);
        string path = folder.File("half.safetensors");
        Safetensors.SaveStateDict(path, half);
        using var copy = new ConvNetwork(spec);

        copy.LoadWeights(path);

        Assert.That(copy.state_dict()["features.0.0.weight"].dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(copy.state_dict()["features.0.0.weight"].allclose(original.state_dict()["features.0.0.weight"], rtol: tolerance, atol: tolerance), Is.True);
    }

    [Test]
    public void WrongDtype_IsRejectedNamingIt()
    {
        using var folder = new TempFolder();
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-2).BuildSpec();
        using var original = new ConvNetwork(spec);
        var broken = original.state_dict().ToDictionary(e => e.Key, e => e.Key == "features.0.0.weight" ? e.Value.to_type(ScalarType.Int64) : e.Value);
        string path = folder.File("int.safetensors");
        Safetensors.SaveStateDict(path, broken);

        var exception = Assert.Throws<WeightMismatchException>(() => new ConvNetwork(spec).LoadWeights(path));

        Assert.That(exception!.Mismatched.Single().Key, Is.EqualTo("features.0.0.weight"));
        Assert.That(exception.Message, Does.Contain("Int64").And.Contain("Float32").And.Contain("int.safetensors"));
    }

    [Test]
    public void WrappedCheckpointWithDataParallelPrefix_IsUnwrapped()
    {
        using var folder = new TempFolder();
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-2).BuildSpec();
        using var original = Trained(spec);
        var prefixed = new Hashtable();
        foreach ((string key, Tensor value) in original.state_dict())
        {
            prefixed[$"module.{key}"] = value;
        }

        string path = folder.File("wrapped.safetensors");
        Safetensors.SaveStateDict(path, prefixed.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!));
        using var copy = new ConvNetwork(spec);

        WeightLoadReport report = copy.LoadWeights(path);

        Assert.That(report.Notes, Has.Some.Contain("'module.'"));
        Assert.That(Logits(copy), Is.EqualTo(Logits(original)));
    }

    [Test]
    public void FaceDetectorBackbone_LoadsIntoMobileNetV1ThroughAKeyMap()
    {
        string path = TestData.File("face-detector-1mb", "mobilenet0.25_Final.pth");
        using var model = new MobileNetV1Builder().WithWidth(0.25).WithActivation(ActivationKind.LeakyReLU).Build();
        using Checkpoint checkpoint = Checkpoint.Read(path);

        WeightLoadReport report = model.LoadCheckpoint(checkpoint, new WeightLoadOptions { Strict = false, RenameKey = RetinaFaceBody });

        Assert.That(report.LoadedTensors, Is.EqualTo(162));
        Assert.That(report.Skipped, Has.Some.Contain("classifier.1.weight: not in the checkpoint"));
        foreach ((string key, Tensor value) in checkpoint.StateDict.Where(e => e.Key.StartsWith("body.", StringComparison.Ordinal)))
        {
            Assert.That(model.state_dict()[RetinaFaceBody(key)!].allclose(value.reshape(model.state_dict()[RetinaFaceBody(key)!].shape), rtol: 0, atol: 0), Is.True, key);
        }

        // Strict, the detector's own heads are reported as unexpected and the classifier as missing.
        var exception = Assert.Throws<WeightMismatchException>(() => model.LoadCheckpoint(checkpoint, new WeightLoadOptions { RenameKey = key => RetinaFaceBody(key) ?? key }));
        Assert.That(exception!.Unexpected, Has.Some.StartsWith("fpn.").And.Some.StartsWith("ClassHead."));
        Assert.That(exception.Missing, Is.EquivalentTo(new[] { "classifier.1.weight", "classifier.1.bias" }));
    }

    /// <summary>RetinaFace's MobileNetV1 0.25 (body.stage1 = stem and 5 blocks, stage2 = 6 blocks, stage3 = 2 blocks) onto ours.</summary>
    private static string? RetinaFaceBody(string key)
    {
        string[] parts = key.Split('.');
        if (parts.Length != 5 || parts[0] != "body")
        {
            return null;
        }

        int index = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        int layer = parts[1] switch { "stage1" => index, "stage2" => 6 + index, "stage3" => 12 + index, _ => -1 };
        string tensor = parts[4];
        if (layer == 0)
        {
            return $"features.0.{parts[3]}.{tensor}";
        }

        string module = parts[3] switch { "0" => "depthwise.0", "1" => "depthwise.1", "3" => "pointwise.0", "4" => "pointwise.1", _ => "?" };
        return $"features.{layer}.{module}.{tensor}";
    }
}
