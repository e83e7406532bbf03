using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>
/// ONNX Runtime on <c>torch.onnx</c>'s export of a torchvision network (baseline) against ONNX Runtime on our
/// export of the same network with the same weights. The reference files are not in the repository (they
/// need Python's torch): <c>$EFFICIENTNET_SHARP_ONNX_REFERENCE</c> names a folder with
/// <c>efficientnet_b0.pth</c>, <c>efficientnet_b0_torch.onnx</c>, <c>mobilenet_v2.pth</c> and
/// <c>mobilenet_v2_torch.onnx</c> (docs/benchmarks.md says how they were made).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class OnnxReferenceBenchmarks
{
    public const string FolderVariable = "EFFICIENTNET_SHARP_ONNX_REFERENCE";

    private InferenceSession reference = null!;
    private InferenceSession ours = null!;
    private NamedOnnxValue[] input = null!;

    [Params(ModelKind.B0, ModelKind.MobileNetV2)]
    public ModelKind Model { get; set; }

    [Params(1, 8)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string folder = Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } set ? set
            : throw new InvalidOperationException($"Set {FolderVariable} to the folder holding torchvision's weights and torch.onnx's exports.");
        string name = Model == ModelKind.B0 ? "efficientnet_b0" : "mobilenet_v2";
        using var network = new ConvNetwork(Model.Spec());
        network.LoadWeights(Path.Combine(folder, $"{name}.pth"));
        network.eval();
        using var exported = new MemoryStream();
        network.ExportOnnx(exported);
        var options = new SessionOptions { IntraOpNumThreads = BenchmarkConfig.Threads, InterOpNumThreads = 1 };
        reference = new InferenceSession(Path.Combine(folder, $"{name}_torch.onnx"), options);
        ours = new InferenceSession(exported.ToArray(), options);
        var random = new Random(1);
        float[] values = [.. Enumerable.Range(0, Batch * 3 * 224 * 224).Select(_ => (float)random.NextDouble())];
        input = [NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(values, [Batch, 3, 224, 224]))];

        // Timing two files is only a comparison if they compute the same thing.
        float[] expected = Outputs(reference);
        float[] actual = Outputs(ours);
        float scale = expected.Max(Math.Abs);
        float difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        if (difference > 1e-4f * scale)
        {
            throw new InvalidOperationException($"Our export and torch.onnx's differ by {difference} (largest output {scale}): the comparison would be meaningless.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        reference.Dispose();
        ours.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long TorchOnnxExport() => Run(reference);

    [Benchmark]
    public long OurExport() => Run(ours);

    private float[] Outputs(InferenceSession session)
    {
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(input);
        return [.. results.First().AsEnumerable<float>()];
    }

    private long Run(InferenceSession session)
    {
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(input);
        return results.First().AsTensor<float>().Dimensions[1];
    }
}
