using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>The machine's float32 matrix-multiply peak: a square matrix product, 2·n³ floating-point operations.</summary>
[Config(typeof(BenchmarkConfig))]
public class MatmulPeakBenchmarks
{
    private Tensor left = null!;
    private Tensor right = null!;

    [Params(1024, 2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        left = torch.randn(Size, Size);
        right = torch.randn(Size, Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        left.Dispose();
        right.Dispose();
    }

    [Benchmark]
    public long Matmul()
    {
        using Tensor product = left.matmul(right);
        return product.shape[0];
    }
}
