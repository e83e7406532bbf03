using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.Specs;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EfficientNet.Sharp.Benchmarks.DeviceFit;

/// <summary>
/// The measured side of docs/device-fit.md: each held-out network (<see cref="HeldOutNetworks"/>) written to ONNX with
/// random weights by the torch-free writer, timed at batch 1 in ONNX Runtime on <see cref="BenchmarkConfig.Threads"/>
/// threads, the way a device profile times its kernels. BenchmarkDotNet runs each network in a process of its own, and
/// nothing here loads libtorch, whose idle worker threads would slow ONNX Runtime down.
/// </summary>
[Config(typeof(DeviceFitConfig))]
public class HeldOutNetworkBenchmarks
{
    private InferenceSession session = null!;
    private NamedOnnxValue[] inputs = null!;

    public static IEnumerable<string> Networks => [.. HeldOutNetworks.Anchors, .. HeldOutNetworks.Names()];

    [ParamsSource(nameof(Networks))]
    public virtual string Network { get; set; } = "";

    /// <summary>Whether the network is written as the int8 export writes it (QDQ, default float islands), for an int8 profile.</summary>
    protected virtual bool Int8 => false;

    [GlobalSetup]
    public void Setup()
    {
        NetworkSpec spec = HeldOutNetworks.Spec(Network);
        (Onnx.Protobuf.ModelProto model, _) = OnnxModel.Build(spec, new RandomWeights(seed: 7), OnnxExportOptions.Default with { DynamicBatch = false }, Int8 ? CalibratedPlan.ForTiming(spec) : null);
        session = new InferenceSession(model.ToByteArray(), new SessionOptions { IntraOpNumThreads = BenchmarkConfig.Threads, InterOpNumThreads = 1 });
        var random = new Random(3);
        var input = new DenseTensor<float>([1, 3, spec.Resolution, spec.Resolution]);
        foreach (ref float value in input.Buffer.Span)
        {
            value = (float)((random.NextDouble() * 2) - 1);
        }

        inputs = [NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)];
    }

    [GlobalCleanup]
    public void Cleanup() => session.Dispose();

    [Benchmark]
    public int Run()
    {
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(inputs);
        return results.Count;
    }
}

/// <summary>
/// The held-out check of an int8 profile (<c>effnet profile-device --int8</c>): the anchors and the first three held-out
/// networks of each family, written as int8 files.
/// </summary>
public class HeldOutInt8NetworkBenchmarks : HeldOutNetworkBenchmarks
{
    public static new IEnumerable<string> Networks => [.. HeldOutNetworks.Anchors, .. HeldOutNetworks.Names().Where((_, i) => i % HeldOutNetworks.PerFamily < 3)];

    [ParamsSource(nameof(Networks))]
    public override string Network { get; set; } = "";

    protected override bool Int8 => true;
}
