using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Models;

public class ConvNetworkTests
{
    [Test]
    public void EfficientNetB0_HasTorchvisionsStateDictLayout()
    {
        using var model = new EfficientNetBuilder().Build();
        Dictionary<string, long[]> shapes = ModuleInspection.StateDictShapes(model);

        using (Assert.EnterMultipleScope())
        {
            // architecture-facts §2.1–2.2: 360 entries = 49 BatchNorms × 5 + 115 other tensors.
            Assert.That(shapes, Has.Count.EqualTo(360));
            Assert.That(shapes["features.0.0.weight"], Is.EqualTo(new long[] { 32, 3, 3, 3 }));
            Assert.That(shapes["features.0.1.num_batches_tracked"], Is.Empty);
            Assert.That(shapes["features.1.0.block.0.0.weight"], Is.EqualTo(new long[] { 32, 1, 3, 3 }));
            Assert.That(shapes["features.1.0.block.1.fc1.weight"], Is.EqualTo(new long[] { 8, 32, 1, 1 }));
            Assert.That(shapes["features.1.0.block.1.fc2.bias"], Is.EqualTo(new long[] { 32 }));
            Assert.That(shapes["features.1.0.block.2.0.weight"], Is.EqualTo(new long[] { 16, 32, 1, 1 }));
            Assert.That(shapes["features.2.0.block.0.0.weight"], Is.EqualTo(new long[] { 96, 16, 1, 1 }));
            Assert.That(shapes["features.3.0.block.1.0.weight"], Is.EqualTo(new long[] { 144, 1, 5, 5 }));
            Assert.That(shapes["features.6.3.block.2.fc1.weight"], Is.EqualTo(new long[] { 48, 1152, 1, 1 }));
            Assert.That(shapes["features.7.0.block.3.1.running_var"], Is.EqualTo(new long[] { 320 }));
            Assert.That(shapes["features.8.0.weight"], Is.EqualTo(new long[] { 1280, 320, 1, 1 }));
            Assert.That(shapes["classifier.1.weight"], Is.EqualTo(new long[] { 1000, 1280 }));
            Assert.That(shapes.Keys.Count(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)), Is.EqualTo(49));
        }
    }

    [Test]
    public void EfficientNetB1_SecondBlockOfStageOneIsAnUnexpandedResidual()
    {
        using var model = new EfficientNetBuilder().WithPhi(1).Build();
        Dictionary<string, long[]> shapes = ModuleInspection.StateDictShapes(model);

        Assert.That(shapes["features.1.1.block.0.0.weight"], Is.EqualTo(new long[] { 16, 1, 3, 3 }));
        Assert.That(shapes["features.1.1.block.2.0.weight"], Is.EqualTo(new long[] { 16, 16, 1, 1 }));
        Assert.That(shapes.ContainsKey("features.1.1.block.3.0.weight"), Is.False);
    }

    [Test]
    public void MobileNetV1_UsesAFlatFeatureLayout()
    {
        using var model = new MobileNetV1Builder().WithWidth(0.25).Build();
        Dictionary<string, long[]> shapes = ModuleInspection.StateDictShapes(model);

        Assert.That(shapes["features.0.0.weight"], Is.EqualTo(new long[] { 8, 3, 3, 3 }));
        Assert.That(shapes["features.1.depthwise.0.weight"], Is.EqualTo(new long[] { 8, 1, 3, 3 }));
        Assert.That(shapes["features.13.pointwise.0.weight"], Is.EqualTo(new long[] { 256, 256, 1, 1 }));
        Assert.That(shapes["classifier.1.weight"], Is.EqualTo(new long[] { 1000, 256 }));
        Assert.That(shapes.Keys.Any(k => k.StartsWith("features.14", StringComparison.Ordinal)), Is.False);
    }

    private static IEnumerable<TestCaseData> SmallVariantsAtNativeResolution() =>
        Enumerable.Range(0, 4).SelectMany(phi => new[] { 1, 3 }.Select(batch =>
            new TestCaseData(phi, batch).SetName($"OutputShape_B{phi}_Native_Batch{batch}")));

    [TestCaseSource(nameof(SmallVariantsAtNativeResolution))]
    public void OutputShape_AtNativeResolution(int phi, int batch)
    {
        using var model = new EfficientNetBuilder().WithPhi(phi).Build();
        int resolution = model.Spec.Resolution;

        Assert.That(ModuleInspection.EvalOutputShape(model, batch, 3, resolution, resolution), Is.EqualTo(new long[] { batch, 1000 }));
    }

    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    public void OutputShape_LargeVariantsAtReducedResolution(int phi)
    {
        using var model = new EfficientNetBuilder().WithPhi(phi).Build();

        Assert.That(ModuleInspection.EvalOutputShape(model, 1, 3, 64, 64), Is.EqualTo(new long[] { 1, 1000 }));
        Assert.That(ModuleInspection.EvalOutputShape(model, 3, 3, 96, 96), Is.EqualTo(new long[] { 3, 1000 }));
    }

    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [Category("Slow")]
    public void OutputShape_LargeVariantsAtNativeResolution(int phi)
    {
        using var model = new EfficientNetBuilder().WithPhi(phi).Build();
        int resolution = model.Spec.Resolution;

        Assert.That(ModuleInspection.EvalOutputShape(model, 1, 3, resolution, resolution), Is.EqualTo(new long[] { 1, 1000 }));
    }

    [TestCase(160, 160)]
    [TestCase(257, 193)]
    public void OutputShape_AtNonNativeAndNonSquareResolutions(int height, int width)
    {
        using var model = new EfficientNetBuilder().WithNumClasses(7).Build();

        Assert.That(ModuleInspection.EvalOutputShape(model, 2, 3, height, width), Is.EqualTo(new long[] { 2, 7 }));
    }

    [Test]
    public void ForwardFeatures_IsStrideThirtyTwo()
    {
        using var model = new EfficientNetBuilder().Build();
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();

        Assert.That(model.ForwardFeatures(torch.randn(2, 3, 224, 224)).shape, Is.EqualTo(new long[] { 2, 1280, 7, 7 }));
    }

    [Test]
    public void GrayscaleInput_IsSupported()
    {
        using var model = new EfficientNetBuilder().WithInputChannels(1).Build();

        Assert.That(ModuleInspection.StateDictShapes(model)["features.0.0.weight"], Is.EqualTo(new long[] { 32, 1, 3, 3 }));
        Assert.That(ModuleInspection.EvalOutputShape(model, 2, 1, 96, 96), Is.EqualTo(new long[] { 2, 1000 }));
    }

    [Test]
    public void MobileNets_RunAtTheirResolutions()
    {
        using var v1 = new MobileNetV1Builder().WithWidth(0.5).WithResolution(160).WithNumClasses(1001).Build();
        using var v2 = new MobileNetV2Builder().WithWidth(0.75).WithResolution(192).Build();

        Assert.That(ModuleInspection.EvalOutputShape(v1, 2, 3, 160, 160), Is.EqualTo(new long[] { 2, 1001 }));
        Assert.That(ModuleInspection.EvalOutputShape(v2, 2, 3, 192, 192), Is.EqualTo(new long[] { 2, 1000 }));
    }

    [Test]
    public void EvalMode_IsDeterministic_TrainingMode_IsNot()
    {
        using var model = new EfficientNetBuilder().WithDropout(0.5).Build();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor input = torch.randn(4, 3, 64, 64);

        model.eval();
        Tensor first = model.call(input);
        Tensor second = model.call(input);
        Assert.That(first.allclose(second, rtol: 0, atol: 0), Is.True, "eval outputs must not depend on the run");

        model.train();
        Tensor trainFirst = model.call(input);
        Tensor trainSecond = model.call(input);
        Assert.That(trainFirst.allclose(trainSecond), Is.False, "dropout and stochastic depth must act in training");
    }

    [Test]
    public void TrainingStep_GivesEveryParameterAFiniteGradient()
    {
        using var model = new EfficientNetBuilder().WithPhi(0.5).WithNumClasses(5).Build();
        model.train();
        using var scope = torch.NewDisposeScope();
        Tensor logits = model.call(torch.randn(4, 3, 64, 64));
        Tensor loss = nn.functional.cross_entropy(logits, torch.tensor(new long[] { 0, 1, 2, 3 }));
        loss.backward();

        var parameters = model.named_parameters().ToList();
        Assert.That(parameters, Is.Not.Empty);
        foreach ((string name, var parameter) in parameters)
        {
            Assert.That(parameter.grad, Is.Not.Null, name);
            Assert.That(parameter.grad!.isfinite().all().item<bool>(), Is.True, name);
        }

        Assert.That(parameters.Count(p => p.parameter.grad!.abs().sum().item<float>() > 0), Is.GreaterThan(parameters.Count * 9 / 10));
    }

    [Test]
    public void Forward_LeavesNoTensorsBehind()
    {
        using var model = new EfficientNetBuilder().Build();
        model.eval();
        using var input = torch.randn(1, 3, 64, 64);
        using var noGrad = torch.no_grad();
        using (model.call(input))
        {
        }

        long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        using (model.call(input))
        {
        }

        Assert.That(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount, Is.EqualTo(before));
    }

    [Test]
    public void Constructor_RejectsAnInconsistentSpec()
    {
        NetworkSpec spec = NetworkPresets.EfficientNetB0 with
        {
            Stages = [.. NetworkPresets.EfficientNetB0.Stages.Select((s, i) => i == 3 ? s with { InChannels = 41 } : s)],
        };

        var exception = Assert.Throws<ArgumentException>(() => new ConvNetwork(spec));
        Assert.That(exception!.Message, Does.Contain("Stages[3].InChannels"));
        Assert.That(exception.ParamName, Is.EqualTo("spec"));
    }

    [Test]
    public void Spec_IsExposedByTheModule()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(2).BuildSpec();
        using var model = new ConvNetwork(spec);

        Assert.That(model.Spec, Is.SameAs(spec));
    }
}
