using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>Whole networks at their native resolution, batch 1 and 8: plain eager inference and after <c>ForInference()</c>.</summary>
[Config(typeof(BenchmarkConfig))]
public class ModelBenchmarks
{
    private ConvNetwork model = null!;
    private InferenceNetwork prepared = null!;
    private Tensor input = null!;

    [Params(ModelKind.MobileNetV1, ModelKind.MobileNetV2, ModelKind.B0, ModelKind.B1, ModelKind.B2, ModelKind.B3)]
    public ModelKind Model { get; set; }

    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        model = new ConvNetwork(Model.Spec());
        model.eval();
        prepared = model.ForInference();
        int size = model.Spec.Resolution;
        input = torch.randn(Batch, 3, size, size);
        NativePeakColumn.Record(this, () => Eager());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        prepared.Dispose();
        model.Dispose();
        input.Dispose();
    }

    [Benchmark]
    public long Eager()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return model.call(input).shape[1];
    }

    [Benchmark]
    public long Prepared()
    {
        using var scope = torch.NewDisposeScope();
        return prepared.call(input).shape[1];
    }
}
