using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Onnx;

/// <summary>What the options change in the file, checked through ONNX Runtime; and bad input, which writes nothing.</summary>
public class OnnxExportOptionsTests
{
    private static NetworkSpec Small => new MobileNetV1Builder().WithWidth(0.25).WithResolution(64).WithNumClasses(5).BuildSpec();

    [Test]
    public void Metadata_RoundTripsThroughOnnxRuntime()
    {
        using ConvNetwork network = RandomStatistics.Network(Small);
        EvalTransform transform = EvalTransform.ImageNet(73, 64, Interpolation.Bicubic);
        string[] labels = ["cat", "dog", "bird", "fish", "ant"];
        using var folder = new TempFolder();
        string path = folder.File("small.onnx");

        network.ExportOnnx(path, new OnnxExportOptions { Transform = transform, Labels = labels, Metadata = new Dictionary<string, string> { ["licence"] = "MIT" }, ProducerVersion = "9.9" });

        using InferenceSession session = OnnxRuntimeRun.Session(path);
        ModelMetadata metadata = session.ModelMetadata;
        Assert.That(metadata.ProducerName, Is.EqualTo("EfficientNet.Sharp"));
        Assert.That(metadata.CustomMetadataMap["architecture"], Is.EqualTo(Small.Name));
        Assert.That(metadata.CustomMetadataMap["classes"], Is.EqualTo("5"));
        Assert.That(metadata.CustomMetadataMap["labels"].Split('\n'), Is.EqualTo(labels));
        Assert.That(metadata.CustomMetadataMap["licence"], Is.EqualTo("MIT"));
        Assert.That(EvalTransformJson.Read(metadata.CustomMetadataMap["preprocessing"]), Is.EqualTo(transform));
        Assert.That(session.InputMetadata["input"].Dimensions, Is.EqualTo(new[] { -1, 3, 64, 64 }));
        Assert.That(session.OutputMetadata["logits"].Dimensions, Is.EqualTo(new[] { -1, 5 }));
    }

    [TestCase(13, ActivationKind.Hardswish)]
    [TestCase(17, ActivationKind.Hardswish)]
    [TestCase(21, ActivationKind.Hardswish)]
    [TestCase(13, ActivationKind.LeakyReLU)]
    [TestCase(17, ActivationKind.SiLU)]
    public void Opsets_LoadAndMatch(int opset, ActivationKind activation)
    {
        NetworkSpec spec = new MobileNetV1Builder().WithWidth(0.25).WithResolution(64).WithActivation(activation).BuildSpec();
        using ConvNetwork network = RandomStatistics.Network(spec);
        using var stream = new MemoryStream();

        network.ExportOnnx(stream, new OnnxExportOptions { Opset = opset });

        using InferenceSession session = OnnxRuntimeRun.Session(stream.ToArray());
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([2, 3, 64, 64], generator: new torch.Generator(4));
        Tensor expected = Eval(network, input);
        Tensor actual = OnnxRuntimeRun.Run(session, input);
        Assert.That((actual - expected).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-4f * expected.abs().max().item<float>()));
    }

    [Test]
    public void Softmax_GivesTorchSharpsProbabilities()
    {
        using ConvNetwork network = RandomStatistics.Network(Small);
        using var stream = new MemoryStream();

        network.ExportOnnx(stream, new OnnxExportOptions { IncludeSoftmax = true, OutputName = "probabilities" });

        using InferenceSession session = OnnxRuntimeRun.Session(stream.ToArray());
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([3, 3, 64, 64], generator: new torch.Generator(5));
        Tensor expected = nn.functional.softmax(Eval(network, input), 1);
        Tensor actual = OnnxRuntimeRun.Run(session, input);
        Assert.That(session.OutputMetadata.Keys, Is.EqualTo(new[] { "probabilities" }));
        Assert.That((actual - expected).abs().max().item<float>(), Is.LessThan(1e-4f));
        Assert.That(actual.sum(1).sub(1).abs().max().item<float>(), Is.LessThan(1e-5f), "rows are probabilities");
    }

    [Test]
    public void FixedBatch_IsOne()
    {
        using ConvNetwork network = RandomStatistics.Network(Small);
        using var stream = new MemoryStream();

        OnnxExportReport report = network.ExportOnnx(stream, new OnnxExportOptions { DynamicBatch = false });

        using InferenceSession session = OnnxRuntimeRun.Session(stream.ToArray());
        Assert.That(session.InputMetadata["input"].Dimensions, Is.EqualTo(new[] { 1, 3, 64, 64 }));
        Assert.That(report.Input, Is.EqualTo("input [1, 3, 64, 64]"));
    }

    [Test]
    public void LargeWeights_GoToExternalData_ThatOnnxRuntimeReads()
    {
        using ConvNetwork network = RandomStatistics.Network(Small);
        using var folder = new TempFolder();
        string path = folder.File("external.onnx");

        OnnxExportReport report = network.ExportOnnx(path, new OnnxExportOptions { ExternalDataThresholdBytes = 1000 });

        Assert.That(report.ExternalDataPath, Does.Match(@"/external\.onnx\.[0-9a-f]{16}\.data$"), "named after the weights' hash");
        Assert.That(new FileInfo(path).Length, Is.LessThan(new FileInfo(report.ExternalDataPath!).Length), "the weights are outside the model file");
        Assert.That(report.Bytes, Is.EqualTo(new FileInfo(path).Length + new FileInfo(report.ExternalDataPath!).Length));
        using InferenceSession session = OnnxRuntimeRun.Session(path);
        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([1, 3, 64, 64], generator: new torch.Generator(6));
        Tensor expected = Eval(network, input);
        Assert.That((OnnxRuntimeRun.Run(session, input) - expected).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-4f * expected.abs().max().item<float>()));
        Assert.That(() => network.ExportOnnx(new MemoryStream(), new OnnxExportOptions { ExternalDataThresholdBytes = 1000 }), Throws.InvalidOperationException.With.Message.Contain("export to a path"));
    }

    [TestCase(12)]
    [TestCase(22)]
    public void UnsupportedOpset_IsRefused(int opset)
    {
        using ConvNetwork network = new(Small);

        Assert.That(() => network.ExportOnnx(new MemoryStream(), new OnnxExportOptions { Opset = opset }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain($"Opset {opset}").And.Message.Contain("13 to 21"));
    }

    [Test]
    public void LabelsThatDoNotMatch_AreRefused()
    {
        using ConvNetwork network = new(Small);

        Assert.That(() => network.ExportOnnx(new MemoryStream(), new OnnxExportOptions { Labels = ["a", "b"] }), Throws.ArgumentException.With.Message.Contain("2 labels").And.Message.Contain("5 classes"));
    }

    [Test]
    public void UnknownModule_IsNamed_AndNothingIsWritten()
    {
        using ConvNetwork network = new(Small);
        network.Features.append("extra", nn.Identity());
        using var folder = new TempFolder();

        Assert.That(() => network.ExportOnnx(folder.File("x.onnx")), Throws.InstanceOf<NotSupportedException>().With.Message.Contain("'features.extra'").And.Message.Contain("Identity"));
        Assert.That(Directory.GetFiles(folder.Path), Is.Empty);
    }

    [Test]
    public void UnwritablePath_IsRefused_AndNothingIsWritten()
    {
        using ConvNetwork network = new(Small);
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("a-file"), "not a folder");

        Assert.That(() => network.ExportOnnx(folder.File("missing-folder/x.onnx")), Throws.InstanceOf<DirectoryNotFoundException>().With.Message.Contain("missing-folder"));
        Assert.That(() => network.ExportOnnx(Path.Combine(folder.File("a-file"), "x.onnx")), Throws.InstanceOf<IOException>());
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { folder.File("a-file") }));
    }

    [Test]
    public void ExistingFile_IsReplacedWhole()
    {
        using ConvNetwork network = new(Small);
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        File.WriteAllBytes(path, new byte[10_000_000]);

        OnnxExportReport report = network.ExportOnnx(path);

        Assert.That(new FileInfo(path).Length, Is.EqualTo(report.Bytes));
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { path }), "no temporary file is left");
    }

    private static Tensor Eval(ConvNetwork network, Tensor input)
    {
        network.eval();
        using var noGrad = torch.no_grad();
        return network.call(input);
    }
}
