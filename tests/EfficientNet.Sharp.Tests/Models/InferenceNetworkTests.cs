using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Models;

public class InferenceNetworkTests
{
    private static ConvNetwork Trained(NetworkSpec spec) => RandomStatistics.Network(spec);

    private static IEnumerable<TestCaseData> Networks()
    {
        yield return new TestCaseData(new MobileNetV1Builder().WithWidth(0.5).BuildSpec(), 160).SetName("{m}_MobileNetV1");
        yield return new TestCaseData(new MobileNetV2Builder().BuildSpec(), 224).SetName("{m}_MobileNetV2");
        yield return new TestCaseData(new EfficientNetBuilder().BuildSpec(), 224).SetName("{m}_B0");
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(1).BuildSpec(), 128).SetName("{m}_B1_Reduced");
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(2).BuildSpec(), 128).SetName("{m}_B2_Reduced");
        yield return new TestCaseData(new EfficientNetBuilder().WithPadding(PaddingMode.TensorFlowSame).BuildSpec(), 224).SetName("{m}_B0_TensorFlowSame");
    }

    [TestCaseSource(nameof(Networks))]
    public void Prepared_GivesTheSameOutputsAsTheOriginal(NetworkSpec spec, int size)
    {
        using ConvNetwork original = Trained(spec);
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([2, 3, size, size], generator: new torch.Generator(5));
        Tensor expected;
        using (torch.no_grad())
        {
            expected = original.call(input);
        }

        foreach (bool channelsLast in new[] { false, true })
        {
            using InferenceNetwork prepared = original.ForInference(channelsLast);
            Tensor actual = prepared.call(input);

            double scale = expected.abs().max().item<float>();
            double difference = (actual - expected).abs().max().item<float>();
            TestContext.Out.WriteLine($"channels-last {channelsLast}: max |Δ| {difference:E2}, max |logit| {scale:F3}");
            Assert.That(difference, Is.LessThanOrEqualTo(1e-4 * scale), $"channels-last {channelsLast}");
        }
    }

    [Test]
    public void Preparing_LeavesTheOriginalUntouched()
    {
        using ConvNetwork original = Trained(new EfficientNetBuilder().WithPhi(-2).BuildSpec());
        using var scope = torch.NewDisposeScope();
        Dictionary<string, Tensor> before = original.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());
        Tensor input = torch.randn(1, 3, 96, 96);
        Tensor outputBefore;
        using (torch.no_grad())
        {
            outputBefore = original.call(input);
        }

        using (original.ForInference())
        {
        }

        using (torch.no_grad())
        {
            Assert.That(original.call(input).allclose(outputBefore, rtol: 0, atol: 0), Is.True);
        }

        foreach ((string key, Tensor value) in original.state_dict())
        {
            Assert.That(value.allclose(before[key], rtol: 0, atol: 0), Is.True, key);
        }

        Assert.That(original.parameters().All(p => p.requires_grad), Is.True, "the original stays trainable");
    }

    [Test]
    public void Prepared_IsNotTrainableAndLeaksNoTensors()
    {
        using ConvNetwork original = Trained(new EfficientNetBuilder().WithPhi(-2).BuildSpec());
        using InferenceNetwork prepared = original.ForInference();
        using var input = torch.randn(1, 3, 96, 96);
        using (prepared.call(input))
        {
        }

        long before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        using (Tensor output = prepared.call(input))
        {
            Assert.That(output.shape, Is.EqualTo(new long[] { 1, 1000 }));
            Assert.That(output.requires_grad, Is.False);
        }

        Assert.That(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount, Is.EqualTo(before));
        Assert.That(prepared.parameters().Any(p => p.requires_grad), Is.False);
        Assert.That(prepared.Spec, Is.EqualTo(original.Spec));
    }

    [Test]
    public void EvalWithoutGrad_UsesInPlaceActivationsButTrainingStillWorks()
    {
        // The in-place path is taken only when autograd is off; a training step right after must still differentiate.
        using ConvNetwork model = Trained(new EfficientNetBuilder().WithPhi(-2).BuildSpec());
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn(2, 3, 96, 96);
        using (torch.no_grad())
        {
            model.call(input);
        }

        model.train();
        model.call(input).sum().backward();

        Assert.That(model.parameters().All(p => p.grad is not null), Is.True);
    }
}
