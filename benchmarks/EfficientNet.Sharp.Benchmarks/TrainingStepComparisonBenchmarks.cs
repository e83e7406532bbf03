using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// One MobileNetV2 training step at batch 32 and 224 px, ours against TorchSharp's TorchVision port with the
/// same weights: forward, cross-entropy with label smoothing, backward, and the trainer's own SGD update (the
/// same update code for both, so the networks are what differ).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class TrainingStepComparisonBenchmarks
{
    private nn.Module<Tensor, Tensor> reference = null!;
    private ConvNetwork ours = null!;
    private UpdateRule referenceRule = null!;
    private UpdateRule ourRule = null!;
    private Tensor input = null!;
    private Tensor labels = null!;

    /// <summary>Images per step; a parameter so that the throughput columns can read it.</summary>
    [Params(32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        torch.manual_seed(0);
        reference = torchvision.models.mobilenet_v2();
        ours = new MobileNetV2Builder().Build();
        ours.load_state_dict(reference.state_dict());
        reference.train();
        ours.train();
        var options = new TrainingOptions();
        referenceRule = UpdateRule.Create(OptimizerKind.Sgd, TrainableParameter.Of(reference), options);
        ourRule = UpdateRule.Create(OptimizerKind.Sgd, TrainableParameter.Of(ours), options);
        input = torch.randn(Batch, 3, 224, 224);
        labels = torch.randint(0, 1000, [Batch]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        referenceRule.Dispose();
        ourRule.Dispose();
        ours.Dispose();
        reference.Dispose();
        input.Dispose();
        labels.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float TorchVisionMobileNetV2() => Step(reference, referenceRule);

    [Benchmark]
    public float OursMobileNetV2() => Step(ours, ourRule);

    private float Step(nn.Module<Tensor, Tensor> network, UpdateRule rule)
    {
        using var scope = torch.NewDisposeScope();
        network.zero_grad();
        Tensor loss = nn.functional.cross_entropy(network.call(input), labels, label_smoothing: 0.1);
        loss.backward();
        rule.Step(0.01);
        return loss.item<float>();
    }
}
