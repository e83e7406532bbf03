using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Inference time of one EfficientNet-B0 MBConv block per stage, at the feature-map size it sees at
/// 224 px (eval mode, no grad, 2 intra-op threads). The block and its input are made once in setup.
/// </summary>
[MemoryDiagnoser]
public class BlockBenchmarks
{
    private MBConv block = null!;
    private Tensor input = null!;

    /// <summary>B0 stage, 1…7: the first block of that stage.</summary>
    [Params(1, 2, 4, 6)]
    public int Stage { get; set; }

    [Params(1)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(2);
        NetworkSpec b0 = NetworkPresets.EfficientNetB0;
        BlockSpec spec = b0.Blocks.First(b => b.StageIndex == Stage - 1);
        int size = b0.Resolution / b0.Stem.Stride / b0.Stages.Take(Stage - 1).Aggregate(1, (product, s) => product * s.Stride);
        block = (MBConv)BlockFactory.Create(spec, b0.BatchNorm);
        block.eval();
        input = torch.randn(Batch, spec.InChannels, size, size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        block.Dispose();
        input.Dispose();
    }

    [Benchmark]
    public long MBConvInference()
    {
        // Guards are thread-local, so they belong inside the measured method; the output is
        // disposed here because BenchmarkDotNet never disposes a returned tensor.
        using var noGrad = torch.no_grad();
        using Tensor output = block.call(input);
        return output.shape[1];
    }
}
