using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Tests.Training;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Training;
using EfficientNet.Sharp.Weights;

namespace EfficientNet.Sharp.Tests.Deploy;

/// <summary>
/// <c>ExportOnnx(path)</c> with no options records the preprocessing and class names whenever the network knows them,
/// so the train → export → deploy round trip prepares images exactly as validation did and names the classes; a file
/// whose network knew neither says so, and the classifier's error names what to pass.
/// </summary>
[NonParallelizable]
public class ExportMetadataTests
{
    private static readonly string[] Colours = ["blue", "red", "yellow"];

    [Test]
    public void TrainedCheckpoint_ExportedWithoutOptions_CarriesItsPreprocessingAndClassNames()
    {
        using var folder = new TempFolder();
        ImageFolders.WriteColourSquares(folder.File("data"), Colours, imagesPerClass: 4, size: 40);
        ImageDataset data = ImageFolderDataset.Load(folder.File("data"));
        NetworkSpec spec = new MobileNetV1Builder().WithWidth(0.25).WithResolution(32).WithNumClasses(Colours.Length).BuildSpec();
        EvalTransform validated;
        using (var network = new ConvNetwork(spec))
        using (var trainer = new Trainer(network, new TrainingOptions { Epochs = 1, BatchSize = 4 }))
        {
            trainer.Train(data, data, folder.File("run"));
            validated = trainer.TrainTransform.Evaluation;
        }

        // A fresh network knows nothing until the checkpoint is loaded; then it knows what the run recorded.
        using var deployed = new ConvNetwork(spec);
        Assert.That(deployed.Preprocessing, Is.Null);
        deployed.LoadWeights(folder.File("run/best.safetensors"));
        string path = folder.File("trained.onnx");
        deployed.ExportOnnx(path);

        using var classifier = new OnnxClassifier(path);
        Assert.That(classifier.Transform, Is.EqualTo(validated), "the exact preprocessing of validation");
        Assert.That(classifier.Transform.ResizeSize, Is.EqualTo(32), "the whole centred square the run trained on, not a default 1/0.875 margin (37)");
        Assert.That(classifier.Labels, Is.EqualTo(Colours));
        Assert.That(Metadata(path).ContainsKey("missing"), Is.False);
        IReadOnlyList<Prediction> top = classifier.Classify(Path.Combine(folder.File("data"), "red", "000.png"), topK: 3);
        Assert.That(top.Select(p => p.Label), Is.EquivalentTo(Colours));
    }

    [Test]
    public void TfLiteImport_ExportedWithoutOptions_CarriesItsPreprocessingAndImageNetLabels()
    {
        using var folder = new TempFolder();
        using TfLiteModel imported = TfLiteImport.Load(TestData.File("coral-test-data", "mobilenet_v1_0.25_128_quant.tflite"));
        string path = folder.File("coral.onnx");

        imported.Network.ExportOnnx(path);

        using var classifier = new OnnxClassifier(path);
        Assert.That(classifier.Transform, Is.EqualTo(imported.Transform));
        Assert.That(classifier.Labels, Has.Count.EqualTo(1001));
        Assert.That(classifier.Classify(TestData.File("coral-test-data", "cat.bmp"), 1)[0].Label, Is.EqualTo("tiger cat"));
    }

    [Test]
    public void NetworkThatKnowsNothing_ExportsAFileThatSaysSo()
    {
        using var folder = new TempFolder();
        using ConvNetwork network = new EfficientNetBuilder().WithPhi(-4).WithResolution(32).Build();
        string path = folder.File("untrained.onnx");

        network.ExportOnnx(path);

        Assert.That(Metadata(path)["missing"], Is.EqualTo("preprocessing, labels"));
        Assert.That(() => new OnnxClassifier(path), Throws.InstanceOf<InvalidDataException>()
            .With.Message.Contain("records no preprocessing").And.Message.Contain("OnnxClassifierOptions.Transform"));
        using var given = new OnnxClassifier(path, new OnnxClassifierOptions { Transform = EvalTransform.ImageNet(37, 32, Interpolation.Bilinear) });
        Assert.That(given.Labels, Has.Count.EqualTo(1000), "1000 classes, named as ImageNet's by default");
    }

    private static Dictionary<string, string> Metadata(string onnx) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
}
