using System.Globalization;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Int8;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;

namespace EfficientNet.Sharp.Tests.Onnx.Int8;

/// <summary>
/// Calibrated post-training quantization of float networks, judged by ONNX Runtime: a trained network (Coral's
/// MobileNetV1, imported as float) quantized on real photos of clothes follows its float file closely and runs on
/// integer kernels; what int8 is known to hurt stays float; bad input is refused before anything is written.
/// </summary>
public class CalibratedExportTests
{
    private static ImageDataset FashionImages() => FashionMnist.LoadTest(TestData.FashionMnistFolder());

    /// <summary>
    /// Coral's MobileNetV1 0.25, imported as float, calibrated on Fashion-MNIST photos: on other photos its int8 file
    /// must follow the float file about as closely as the file's own quantization-aware parameters do (the reference:
    /// Google's training chose those), run on integer kernels, and keep nothing float (ReLU6 quantizes well). Full 8-bit
    /// weights (unsigned, exact on every CPU), to compare like with like.
    /// </summary>
    /// <remarks>
    /// Measured here: min-max and percentile 16.3 dB against the file's own 22.5 dB; entropy 12.2 dB — on these grey,
    /// out-of-distribution photos its clipping costs more than it gains, so its bound is wider.
    /// </remarks>
    [TestCase(CalibrationMethod.MinMax, 8, 0.35)]
    [TestCase(CalibrationMethod.Percentile, 8, 0.35)]
    [TestCase(CalibrationMethod.Entropy, 12, 0.5)]
    public void TrainedNetwork_FollowsItsFloatFile_AboutAsWellAsItsOwnQuantization(CalibrationMethod method, double decibelMargin, double agreementMargin)
    {
        using TfLiteModel trained = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));
        using var folder = new TempFolder();
        ImageDataset images = FashionImages();
        Int8ExportReport report = trained.Network.ExportInt8Onnx(Path.Combine(folder.Path, "int8.onnx"), new Int8Calibration { Images = images.Subset(Enumerable.Range(0, 5000)), ImageCount = 64, HeldOutImageCount = 64, Method = method, Weights = Int8WeightFormat.Unsigned });
        string own = trained.ExportInt8Onnx(Path.Combine(folder.Path, "own.onnx")).Path!;
        string reference = trained.Network.ExportOnnx(Path.Combine(folder.Path, "float.onnx")).Path!;

        // Photos neither calibration nor the report saw.
        using var scope = TorchSharp.torch.NewDisposeScope();
        using ImageBatch photos = new ImageBatches(images.Subset(Enumerable.Range(9000, 64)), ImageTransform.From(trained.Transform), 64, shuffle: false).Epoch(0).First();
        TorchSharp.torch.Tensor expected = Run(reference, photos);
        (double agreement, double decibels) = Compare(Run(report.File.Path!, photos), expected);
        (double ownAgreement, double ownDecibels) = Compare(Run(own, photos), expected);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: report {report.TopOneAgreement:P1}, {report.SignalToNoiseDecibels:0.0} dB; other photos {agreement:P1}, {decibels:0.0} dB; the file's own int8 {ownAgreement:P1}, {ownDecibels:0.0} dB"));
        Assert.That(report.CalibrationImages, Is.EqualTo(64));
        Assert.That(report.HeldOutImages, Is.EqualTo(64));
        Assert.That(decibels, Is.GreaterThan(ownDecibels - decibelMargin), "signal-to-noise against the file's own quantization");
        Assert.That(agreement, Is.GreaterThan(ownAgreement - agreementMargin), "top-1 agreement against the file's own quantization");
        Assert.That(report.SignalToNoiseDecibels, Is.EqualTo(decibels).Within(6), "the report's figure describes the file");
        Assert.That(report.FloatActivations, Is.Empty, "ReLU6 networks need no float islands");
        Assert.That(IntegerConvolutions(report.File.Path!), Is.EqualTo(27));
    }

    private static TorchSharp.torch.Tensor Run(string path, ImageBatch batch)
    {
        using Microsoft.ML.OnnxRuntime.InferenceSession session = OnnxRuntimeRun.Session(path);
        return OnnxRuntimeRun.Run(session, batch.Images);
    }

    private static (double Agreement, double Decibels) Compare(TorchSharp.torch.Tensor actual, TorchSharp.torch.Tensor expected)
    {
        double agreement = actual.argmax(1).eq(expected.argmax(1)).to_type(TorchSharp.torch.ScalarType.Float32).mean().item<float>();
        double signal = expected.square().sum().item<float>(), noise = (actual - expected).square().sum().item<float>();
        return (agreement, 10 * Math.Log10(signal / noise));
    }

    /// <summary>
    /// The formats meant to be exact on every x64 CPU must be: ONNX Runtime's fused integer kernels (full optimisation)
    /// compute what the file specifies (no optimisation: each DequantizeLinear and float operator as written), up to
    /// requantization's rounding. Full-range int8 is left out: on AVX2 without VNNI its kernels saturate, by design.
    /// </summary>
    [TestCase(Int8WeightFormat.ReducedRange)]
    [TestCase(Int8WeightFormat.Unsigned)]
    public void FusedKernels_ComputeWhatTheFileSpecifies(Int8WeightFormat format)
    {
        using TfLiteModel trained = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));
        using var folder = new TempFolder();
        ImageDataset images = FashionImages();
        string path = trained.Network.ExportInt8Onnx(folder.File("int8.onnx"), new Int8Calibration { Images = images.Subset(Enumerable.Range(0, 5000)), ImageCount = 32, HeldOutImageCount = 0, Weights = format }).File.Path!;
        using var scope = TorchSharp.torch.NewDisposeScope();
        using ImageBatch photos = new ImageBatches(images.Subset(Enumerable.Range(9000, 32)), ImageTransform.From(trained.Transform), 32, shuffle: false).Epoch(0).First();
        TorchSharp.torch.Tensor specified;
        using (Microsoft.ML.OnnxRuntime.InferenceSession plain = OnnxRuntimeRun.Session(path, optimize: false))
        {
            specified = OnnxRuntimeRun.Run(plain, photos.Images);
        }

        (double agreement, double decibels) = Compare(Run(path, photos), specified);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{format}: fused against as written: {agreement:P1}, {decibels:0.0} dB"));
        Assert.That(decibels, Is.GreaterThan(30));
        Assert.That(IntegerConvolutions(path), Is.EqualTo(27));
    }

    [Test]
    public void SiLUNetwork_KeepsSiLUOutputsFloat_UnlessFullInteger()
    {
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-6).WithResolution(32).WithNumClasses(10).BuildSpec();
        using ConvNetwork network = RandomStatistics.Network(spec);
        network.Preprocessing = EvalTransform.ImageNet(32, 32, Interpolation.Bilinear);
        using var folder = new TempFolder();
        var calibration = new Int8Calibration { Images = FashionImages(), ImageCount = 16, HeldOutImageCount = 16, Method = CalibrationMethod.MinMax };
        Int8ExportReport islands = network.ExportInt8Onnx(Path.Combine(folder.Path, "default.onnx"), calibration);
        Int8ExportReport full = network.ExportInt8Onnx(Path.Combine(folder.Path, "full.onnx"), calibration with { FullInteger = true });

        // The stem, each block's expansion and depthwise convolution, and the head end in SiLU.
        int silu = 1 + spec.Blocks.Sum(b => b.ExpandRatio > 1 ? 2 : 1) + 1;
        Assert.That(islands.FloatActivations, Has.Count.EqualTo(silu));
        Assert.That(islands.FloatActivations, Has.All.Contains("SiLU output"));
        Assert.That(full.FloatActivations, Is.Empty);
        Assert.That(full.QuantizedActivations, Is.EqualTo(islands.QuantizedActivations + silu));
    }

    [Test]
    public void AgreementBelowTheLimit_WritesNothing()
    {
        // An untrained network's class scores are nearly equal, so int8 noise reorders them on many images.
        NetworkSpec spec = new EfficientNetBuilder().WithPhi(-6).WithResolution(32).WithNumClasses(10).BuildSpec();
        using ConvNetwork network = RandomStatistics.Network(spec);
        network.Preprocessing = EvalTransform.ImageNet(32, 32, Interpolation.Bilinear);
        using var folder = new TempFolder();
        string target = Path.Combine(folder.Path, "int8.onnx");
        var calibration = new Int8Calibration { Images = FashionImages(), ImageCount = 8, HeldOutImageCount = 64, Method = CalibrationMethod.MinMax, FullInteger = true, MaxAgreementDrop = 0 };
        var error = Assert.Throws<Int8AgreementException>(() => network.ExportInt8Onnx(target, calibration))!;
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error.Report.TopOneAgreement, Is.LessThan(1));
        Assert.That(error.Message, Does.Contain("nothing was written"));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void NoImages_IsRefused_NamingTheSource()
    {
        using ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-6).WithResolution(32).WithNumClasses(10).BuildSpec());
        network.Preprocessing = EvalTransform.ImageNet(32, 32, Interpolation.Bilinear);
        using var folder = new TempFolder();
        ImageDataset empty = FashionImages().Subset([]);
        var error = Assert.Throws<ArgumentException>(() => network.ExportInt8Onnx(Path.Combine(folder.Path, "x.onnx"), new Int8Calibration { Images = empty }))!;
        Assert.That(error.Message, Does.Contain("no images"));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    /// <summary>
    /// A weighted module the spec does not describe (here registered beside <c>features</c>, where the children check does
    /// not look) would be left out of a graph written from the definition: both exports refuse it, naming it.
    /// </summary>
    [Test]
    public void WeightedModuleOutsideTheDefinition_IsRefusedByFloatAndInt8Export()
    {
        using ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-6).WithResolution(32).WithNumClasses(10).BuildSpec());
        network.Preprocessing = EvalTransform.ImageNet(32, 32, Interpolation.Bilinear);
        network.register_module("adapter", TorchSharp.torch.nn.Linear(4, 4));
        using var folder = new TempFolder();

        Assert.That(() => network.ExportOnnx(folder.File("float.onnx")), Throws.InstanceOf<NotSupportedException>().With.Message.Contain("'adapter'"));
        Assert.That(() => network.ExportInt8Onnx(folder.File("int8.onnx"), new Int8Calibration { Images = FashionImages(), ImageCount = 4 }), Throws.InstanceOf<NotSupportedException>().With.Message.Contain("'adapter'"));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void UnknownPreprocessing_IsRefused()
    {
        using ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().WithPhi(-6).WithResolution(32).WithNumClasses(10).BuildSpec());
        network.Preprocessing = null;
        using var folder = new TempFolder();
        var error = Assert.Throws<ArgumentException>(() => network.ExportInt8Onnx(Path.Combine(folder.Path, "x.onnx"), new Int8Calibration { Images = FashionImages() }))!;
        Assert.That(error.Message, Does.Contain("preprocessing"));
    }

    /// <summary>The QLinearConv nodes ONNX Runtime makes of the file: convolutions that really run on integers.</summary>
    internal static int IntegerConvolutions(string path) =>
        DeviceProfiler.OptimizedGraph(ModelProto.Parser.ParseFrom(File.ReadAllBytes(path))).Node.Count(node => node.OpType == "QLinearConv");
}
