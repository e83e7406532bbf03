using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// One block per stage of MobileNetV1 (DepthwiseSeparableConv), MobileNetV2 (InvertedResidual) and
/// EfficientNet-B0 (MBConv, with and without squeeze-and-excitation), at batch 1 and 32: inference
/// (eval, no grad) and a training step (forward and backward).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class BlockBenchmarks
{
    private nn.Module<Tensor, Tensor> block = null!;
    private Tensor input = null!;

    [ParamsSource(nameof(Cases))]
    public BlockCase Case { get; set; } = null!;

    [Params(1, 32)]
    public int Batch { get; set; }

    public static IEnumerable<BlockCase> Cases() => BlockCase.All();

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        block = Case.CreateModule();
        input = torch.randn(Batch, Case.Block.InChannels, Case.InputSize, Case.InputSize);
        NativePeakColumn.Record(this, () => Inference());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        block.Dispose();
        input.Dispose();
    }

    [Benchmark]
    public long Inference()
    {
        block.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return block.call(input).shape[1];
    }

    [Benchmark]
    public long TrainingStep()
    {
        block.train();
        using var scope = torch.NewDisposeScope();
        Tensor output = block.call(input);
        output.sum().backward();
        block.zero_grad();
        return output.shape[1];
    }
}
