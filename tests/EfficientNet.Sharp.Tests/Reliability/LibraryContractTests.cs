using EfficientNet.Sharp.Cli.Commands;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Scaling;
using Google.Protobuf;

namespace EfficientNet.Sharp.Tests.Reliability;

/// <summary>The library's own contracts: disposed objects say so, the export check can fail, and export refuses what a reader would misread.</summary>
public class LibraryContractTests
{
    private static readonly EvalTransform Transform = EvalTransform.ImageNet(37, 32, Interpolation.Bilinear);

    [Test]
    public void DisposedNetworkAndClassifier_ThrowObjectDisposedException()
    {
        using var folder = new TempFolder();
        var network = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).Build();
        string path = folder.File("m.onnx");
        network.ExportOnnx(path, new OnnxExportOptions { Transform = Transform });
        network.Dispose();
        var classifier = new OnnxClassifier(path);
        classifier.Dispose();

        Assert.That(() => network.ForInference(), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => network.ExportOnnx(folder.File("again.onnx")), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => classifier.Classify(TestData.File("coral-test-data", "cat.bmp")), Throws.InstanceOf<ObjectDisposedException>());
    }

    /// <summary>
    /// An untrained network's outputs are about 1e-14: the check's old absolute floor (1e-6) passed any file. A file
    /// whose classifier is changed by 1 % must now fail it.
    /// </summary>
    [Test]
    public void ExportCheck_FailsForAFileThatComputesSomethingElse_EvenWhenOutputsAreTiny()
    {
        using var folder = new TempFolder();
        using ConvNetwork network = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).Build();
        network.eval();
        string path = folder.File("m.onnx");
        network.ExportOnnx(path);

        ExportCheck honest = ExportCheck.Run(network, path, softmax: false);
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        TensorProto classifier = model.Graph.Initializer.Single(t => t.Name.StartsWith("classifier.1.weight", StringComparison.Ordinal));
        float[] weights = new float[classifier.RawData.Length / 4];
        Buffer.BlockCopy(classifier.RawData.ToByteArray(), 0, weights, 0, classifier.RawData.Length);
        byte[] scaled = new byte[classifier.RawData.Length];
        Buffer.BlockCopy(weights.Select(w => w * 1.01f).ToArray(), 0, scaled, 0, scaled.Length);
        classifier.RawData = ByteString.CopyFrom(scaled);
        File.WriteAllBytes(path, model.ToByteArray());
        ExportCheck tampered = ExportCheck.Run(network, path, softmax: false);

        Assert.That(honest.Scale, Is.LessThan(1e-6f), "an untrained network's outputs are tiny");
        Assert.That(honest.Passed, Is.True, honest.ToString());
        Assert.That(tampered.Passed, Is.False, tampered.ToString());
        Assert.That(tampered.ThrowIfFailed, Throws.InvalidOperationException.With.Message.Contain("bug in the exporter"));
    }

    [Test]
    public void Export_RefusesWhatAReaderWouldMisread()
    {
        using ConvNetwork network = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).WithNumClasses(2).Build();

        Assert.That(() => network.ExportOnnx(new MemoryStream(), new OnnxExportOptions { Labels = ["cat", "two\nlines"] }), Throws.ArgumentException.With.Message.Contain("line break"));
        Assert.That(() => network.ExportOnnx(new MemoryStream(), new OnnxExportOptions { Metadata = new Dictionary<string, string> { ["labels"] = "x" } }), Throws.ArgumentException.With.Message.Contain("'labels' is written by the exporter"));
        Assert.That(() => network.ExportOnnx(new MemoryStream(), new OnnxExportOptions { Transform = Transform with { CropSize = 40 } }), Throws.ArgumentException.With.Message.Contain("crops 40"));
    }
}
