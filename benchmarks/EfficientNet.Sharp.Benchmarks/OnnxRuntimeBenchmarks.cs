using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// The two ways to deploy a network, side by side in one run: our <c>ForInference()</c> copy in TorchSharp,
/// and our ONNX export in ONNX Runtime (both on <see cref="BenchmarkConfig.Threads"/> threads, same weights,
/// same input).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class OnnxRuntimeBenchmarks
{
    private ConvNetwork network = null!;
    private InferenceNetwork prepared = null!;
    private InferenceSession session = null!;
    private Tensor input = null!;
    private NamedOnnxValue[] onnxInput = null!;

    [Params(ModelKind.B0, ModelKind.MobileNetV2)]
    public ModelKind Model { get; set; }

    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkConfig.Threads);
        network = new ConvNetwork(Model.Spec());
        network.eval();
        prepared = network.ForInference();
        using var model = new MemoryStream();
        network.ExportOnnx(model);
        session = new InferenceSession(model.ToArray(), new SessionOptions { IntraOpNumThreads = BenchmarkConfig.Threads, InterOpNumThreads = 1 });
        int size = Model.Spec().Resolution;
        input = torch.randn(Batch, 3, size, size);
        onnxInput = [NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.data<float>().ToArray(), [Batch, 3, size, size]))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        session.Dispose();
        prepared.Dispose();
        network.Dispose();
        input.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long ForInference()
    {
        using var scope = torch.NewDisposeScope();
        return prepared.call(input).shape[1];
    }

    [Benchmark]
    public long OnnxRuntime()
    {
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(onnxInput);
        return results.First().AsTensor<float>().Dimensions[1];
    }
}
