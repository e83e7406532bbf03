using BenchmarkDotNet.Attributes;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Int8;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>The networks the int8 comparison runs: four architectures calibrated here, and a Coral file with its own scales.</summary>
public enum Int8Model
{
    MobileNetV2,
    MobileNetV3Large,
    Lite0,
    B0,

    /// <summary>Coral's <c>mobilenet_v1_0.5_160_quant.tflite</c>: int8 with the file's own scales against its dequantized float export.</summary>
    CoralV1Half160,
}

/// <summary>
/// Float ONNX against int8 ONNX (QDQ) of the same network in ONNX Runtime, batch 1, <see cref="BenchmarkConfig.Threads"/>
/// threads, in one run. The calibrated files use the default settings (percentile; SiLU and hard-swish outputs float)
/// on 16 Fashion-MNIST images: ranges change values, not speed. Setup runs libtorch (calibration decodes images with
/// it), then sleeps a second so its worker threads are idle before ONNX Runtime is timed.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class Int8Benchmarks
{
    private InferenceSession floatSession = null!;
    private InferenceSession int8Session = null!;
    private NamedOnnxValue[] input = null!;

    [Params(Int8Model.MobileNetV2, Int8Model.MobileNetV3Large, Int8Model.Lite0, Int8Model.B0, Int8Model.CoralV1Half160)]
    public Int8Model Model { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string folder = Directory.CreateTempSubdirectory("int8-bench").FullName;
        string floatPath = Path.Combine(folder, "float.onnx"), int8Path = Path.Combine(folder, "int8.onnx");
        int size;
        if (Model == Int8Model.CoralV1Half160)
        {
            using TfLiteModel coral = TfLiteImport.Load(Path.Combine(PreparationBenchmarks.TestDataFolder(), "coral-test-data", "mobilenet_v1_0.5_160_quant.tflite"));
            coral.Network.ExportOnnx(floatPath);
            coral.ExportInt8Onnx(int8Path);
            size = coral.Spec.Resolution;
        }
        else
        {
            NetworkSpec spec = Model switch
            {
                Int8Model.MobileNetV2 => NetworkPresets.MobileNetV2,
                Int8Model.MobileNetV3Large => NetworkPresets.MobileNetV3Large,
                Int8Model.Lite0 => NetworkPresets.EfficientNetLite(0),
                Int8Model.B0 => NetworkPresets.EfficientNetB0,
                _ => throw new ArgumentOutOfRangeException(nameof(Model), Model, "No spec for this model."),
            };
            using var network = new ConvNetwork(spec);
            network.eval();
            network.Preprocessing = EvalTransform.ImageNet(spec.Resolution, spec.Resolution, Interpolation.Bilinear);
            network.ExportOnnx(floatPath);
            var calibration = new Int8Calibration { Images = FashionMnist.LoadTest(FashionMnist.DefaultFolder), ImageCount = 16, HeldOutImageCount = 0 };
            network.ExportInt8Onnx(int8Path, calibration);
            size = spec.Resolution;
        }

        Thread.Sleep(1000);
        var options = new SessionOptions { IntraOpNumThreads = BenchmarkConfig.Threads, InterOpNumThreads = 1 };
        floatSession = new InferenceSession(floatPath, options);
        int8Session = new InferenceSession(int8Path, options);
        float[] pixels = [.. Enumerable.Range(0, 3 * size * size).Select(i => (float)Math.Sin(i * 0.01))];
        input = [NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(pixels, [1, 3, size, size]))];
        Directory.Delete(folder, recursive: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        floatSession.Dispose();
        int8Session.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float Float() => Run(floatSession);

    [Benchmark]
    public float Int8() => Run(int8Session);

    private float Run(InferenceSession session)
    {
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run(input);
        return results.First().AsTensor<float>()[0, 0];
    }
}
