using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>One EfficientNet-B0 training step at batch 32 and 224 px: forward, cross-entropy, backward, SGD update.</summary>
[Config(typeof(BenchmarkConfig))]
public class TrainingStepBenchmarks
{
    private ConvNetwork model = null!;
    private optim.Optimizer optimizer = null!;
    private Tensor input = null!;
    private Tensor labels = null!;

    [Params(32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        model = new EfficientNetBuilder().Build();
        model.train();
        optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        input = torch.randn(Batch, 3, 224, 224);
        labels = torch.randint(0, 1000, [Batch]);
        NativePeakColumn.Record(this, () => Step());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        model.Dispose();
        input.Dispose();
        labels.Dispose();
    }

    [Benchmark]
    public float Step()
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = nn.functional.cross_entropy(model.call(input), labels);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }
}
