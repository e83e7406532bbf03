using System.Globalization;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.TfLite;

namespace EfficientNet.Sharp.Tests.Onnx;

/// <summary>
/// Google's Coral MobileNetV1, imported from TFLite, exported to ONNX with its preprocessing and labels,
/// classified by ONNX Runtime: Google's acceptance thresholds still hold, and the answers equal TorchSharp's.
/// </summary>
public class OnnxClassifierTests
{
    private static string Coral(string name) => TestData.File("coral-test-data", name);

    [TestCase("mobilenet_v1_0.25_128_quant.tflite", 283, 0.25)]
    [TestCase("mobilenet_v1_0.5_160_quant.tflite", 286, 0.51)]
    public void ExportedCoralModel_MeetsGooglesThreshold_AndAgreesWithTorchSharp(string file, int expectedClass, double threshold)
    {
        using TfLiteModel model = TfLiteImport.Load(Coral(file));
        using var folder = new TempFolder();
        string onnx = folder.File("coral.onnx");
        model.Network.ExportOnnx(onnx, new OnnxExportOptions { Transform = model.Transform, Labels = ImageNetClasses.ForClassCount(1001) });
        using var torchSharp = new ImageClassifier(model.Network, model.Transform);

        using var classifier = new OnnxClassifier(onnx, new OnnxClassifierOptions { Threads = 2 });
        IReadOnlyList<Prediction> top3 = classifier.Classify(Coral("cat.bmp"), 3);
        IReadOnlyList<Prediction> reference = torchSharp.Classify(Coral("cat.bmp"), 3);

        TestContext.Out.WriteLine(string.Join("; ", top3.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.ClassIndex} {p.Label} {p.Probability:0.0000}"))));
        Assert.That(classifier.Transform, Is.EqualTo(model.Transform), "the preprocessing comes from the file");
        Assert.That(top3.Where(p => p.ClassIndex == expectedClass).Select(p => (double)p.Probability), Has.Some.GreaterThanOrEqualTo(threshold));
        Assert.That(top3.Select(p => p.ClassIndex), Is.EqualTo(reference.Select(p => p.ClassIndex)));
        Assert.That(top3.Select(p => p.Probability), Is.EqualTo(reference.Select(p => p.Probability)).Within(1e-4f));
    }

    [Test]
    public void Batch_GivesEachImagesOwnAnswer()
    {
        using TfLiteModel model = TfLiteImport.Load(Coral("mobilenet_v1_0.25_128_quant.tflite"));
        using var folder = new TempFolder();
        string onnx = folder.File("coral.onnx");
        model.Network.ExportOnnx(onnx, new OnnxExportOptions { Transform = model.Transform });
        using var classifier = new OnnxClassifier(onnx);

        IReadOnlyList<IReadOnlyList<Prediction>> batch = classifier.ClassifyBatch([Coral("cat.bmp"), Coral("grace_hopper.bmp"), Coral("cat.bmp")], 1);

        Assert.That(batch[0][0], Is.EqualTo(classifier.Classify(Coral("cat.bmp"), 1)[0]));
        Assert.That(batch[1][0], Is.EqualTo(classifier.Classify(Coral("grace_hopper.bmp"), 1)[0]));
        Assert.That(batch[1][0].ClassIndex, Is.Not.EqualTo(batch[0][0].ClassIndex));
        Assert.That(batch[2][0], Is.EqualTo(batch[0][0]));
        Assert.That(classifier.Labels[0], Is.EqualTo("background"), "without labels in the file, ImageNet's 1001 names");
    }

    [Test]
    public void FileWithoutPreprocessing_NeedsATransform()
    {
        using TfLiteModel model = TfLiteImport.Load(Coral("mobilenet_v1_0.25_128_quant.tflite"));
        using var folder = new TempFolder();
        string onnx = folder.File("bare.onnx");

        // A network told nothing about its images (an import knows them, and its export records them by default).
        model.Network.Preprocessing = null;
        model.Network.ExportOnnx(onnx);

        Assert.That(() => new OnnxClassifier(onnx), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("records no preprocessing"));
        using var classifier = new OnnxClassifier(onnx, new OnnxClassifierOptions { Transform = model.Transform });
        Assert.That(classifier.Classify(Coral("cat.bmp"), 1)[0].ClassIndex, Is.EqualTo(283));
    }

    [Test]
    public void NotAModel_IsRefusedClearly()
    {
        using var folder = new TempFolder();
        string path = folder.File("noise.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        Assert.That(() => new OnnxClassifier(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("noise.onnx"));
        Assert.That(() => new OnnxClassifier(folder.File("missing.onnx")), Throws.InstanceOf<FileNotFoundException>());
    }
}
