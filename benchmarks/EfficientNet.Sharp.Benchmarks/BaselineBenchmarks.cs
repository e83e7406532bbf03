using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// Our MobileNetV2 against TorchSharp's own TorchVision port with the same weights, in one run, so that
/// the ratio is measured rather than assumed.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class BaselineBenchmarks
{
    private nn.Module<Tensor, Tensor> reference = null!;
    private ConvNetwork ours = null!;
    private InferenceNetwork prepared = null!;
    private InferenceNetwork preparedNchw = null!;
    private Tensor input = null!;

    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        reference = torchvision.models.mobilenet_v2();
        reference.eval();
        ours = new MobileNetV2Builder().Build();
        ours.load_state_dict(reference.state_dict());
        ours.eval();
        prepared = ours.ForInference();
        preparedNchw = ours.ForInference(channelsLast: false);
        input = torch.randn(Batch, 3, 224, 224);
        NativePeakColumn.Record(this, () => OursEager());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        prepared.Dispose();
        preparedNchw.Dispose();
        ours.Dispose();
        reference.Dispose();
        input.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long TorchVisionMobileNetV2()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return reference.call(input).shape[1];
    }

    [Benchmark]
    public long OursEager()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return ours.call(input).shape[1];
    }

    [Benchmark]
    public long OursPrepared()
    {
        using var scope = torch.NewDisposeScope();
        return prepared.call(input).shape[1];
    }

    /// <summary>Prepared without channels-last: what the layout change alone contributes.</summary>
    [Benchmark]
    public long OursPreparedNchw()
    {
        using var scope = torch.NewDisposeScope();
        return preparedNchw.call(input).shape[1];
    }
}
