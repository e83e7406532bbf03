using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.TfLite;
using TorchSharp;

namespace EfficientNet.Sharp.Tests.Deploy;

/// <summary>The deploy API beyond <c>Classify(path)</c>: streams, prepared spans, embeddings, threads.</summary>
public class OnnxClassifierApiTests
{
    private static string Cat => TestData.File("coral-test-data", "cat.bmp");

    [Test]
    public void StreamsSpansAndBatches_GiveTheSameAnswersAsPaths()
    {
        using var folder = new TempFolder();
        using TfLiteModel imported = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.5_160_quant.tflite"));
        string path = folder.File("coral.onnx");
        imported.Network.ExportOnnx(path);
        using var classifier = new OnnxClassifier(path);

        IReadOnlyList<Prediction> byPath = classifier.Classify(Cat, 3);
        using FileStream stream = File.OpenRead(Cat);
        IReadOnlyList<Prediction> byStream = classifier.Classify(stream, 3);
        float[] prepared = ImagePreparation.Prepare(Cat, classifier.Transform);
        float[] bySpan = classifier.Run(prepared, [1, 3, 160, 160]);
        IReadOnlyList<IReadOnlyList<Prediction>> batch = classifier.ClassifyBatch([Cat, TestData.File("efficientnet-pytorch", "img.jpg"), Cat], 3);

        Assert.That(byPath[0].Label, Is.EqualTo("Egyptian cat"));
        Assert.That(byStream, Is.EqualTo(byPath));
        Assert.That(bySpan[byPath[0].ClassIndex], Is.EqualTo(byPath[0].Probability).Within(1e-6));
        Assert.That(bySpan.Sum(), Is.EqualTo(1).Within(1e-4), "probabilities");
        Assert.That(batch[0], Is.EqualTo(byPath));
        Assert.That(batch[2], Is.EqualTo(byPath));
        Assert.That(batch[1][0].Label, Is.EqualTo("giant panda"));
        Assert.That(() => classifier.Run(prepared, [1, 3, 150, 150]), Throws.ArgumentException.With.Message.Contain("shape"));
        Assert.That(() => classifier.Embed(Cat), Throws.Nothing, "a classifier's embedding is its scores");
    }

    /// <summary>A headless export embeds: its vector is the network's pooled features, computed by TorchSharp as the reference.</summary>
    [Test]
    public void HeadlessExport_EmbedsAsTheNetworkPools()
    {
        using var folder = new TempFolder();
        using ConvNetwork network = RandomStatistics.Network(new MobileNetV3Builder().Small().WithNumClasses(0).BuildSpec());
        var transform = EvalTransform.ImageNet(256, 224, Interpolation.Bilinear);
        network.Preprocessing = transform;
        string path = folder.File("features.onnx");
        network.ExportOnnx(path, new OnnxExportOptions { OutputName = "features" });
        using var embedder = new OnnxClassifier(path);

        float[] embedding = embedder.Embed(Cat);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        float[] expected = network.call(ImagePreprocessor.Preprocess(Cat, transform)).data<float>().ToArray();
        Assert.That(embedder.Output, Is.EqualTo(ModelOutput.PooledFeatures));
        Assert.That(embedding, Has.Length.EqualTo(576));
        float scale = expected.Max(Math.Abs);
        Assert.That(embedding.Zip(expected).Max(pair => Math.Abs(pair.First - pair.Second)), Is.LessThan(1e-4 * scale));
        Assert.That(() => embedder.Classify(Cat), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("use Embed"));
    }

    [Test]
    public void ManyThreads_GetWhatOneThreadGets()
    {
        using var folder = new TempFolder();
        using TfLiteModel imported = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));
        string path = folder.File("coral.onnx");
        imported.Network.ExportOnnx(path);
        using var classifier = new OnnxClassifier(path);
        string[] photos = [Cat, TestData.File("coral-test-data", "grace_hopper.bmp"), TestData.File("efficientnet-pytorch", "img.jpg")];
        IReadOnlyList<Prediction>[] alone = [.. photos.Select(photo => classifier.Classify(photo, 2))];

        var results = new IReadOnlyList<Prediction>[24];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = classifier.Classify(photos[i % photos.Length], 2));

        for (int i = 0; i < results.Length; i++)
        {
            Assert.That(results[i], Is.EqualTo(alone[i % photos.Length]), $"call {i}");
        }
    }
}
