using System.Globalization;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Google's own quantization-aware-trained MobileNetV1 files from google-coral/test_data, checked against
/// Google's acceptance thresholds for them (libcoral's model_test_cases.bzl): the expected 1001-class label
/// in the top 3 of cat.bmp with at least the given probability.
/// </summary>
public class CoralModelTests
{
    private static readonly string[] Folder = ["coral-test-data"];

    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData("mobilenet_v1_0.25_128_quant.tflite", 0.25, 128, 283, "tiger cat", 0.25).SetName("{m}_0.25_128");
        yield return new TestCaseData("mobilenet_v1_0.5_160_quant.tflite", 0.5, 160, 286, "Egyptian cat", 0.51).SetName("{m}_0.5_160");
    }

    private static string File(string name) => TestData.File([.. Folder, name]);

    [TestCaseSource(nameof(Models))]
    public void Import_RecognisesTheSpecOurBuilderMakes(string file, double width, int resolution, int expectedClass, string label, double threshold)
    {
        using TfLiteModel model = TfLiteImport.Load(File(file));

        NetworkSpec expected = new MobileNetV1Builder()
            .WithWidth(width).WithResolution(resolution).WithActivation(ActivationKind.ReLU6)
            .WithNumClasses(1001).WithPadding(PaddingMode.TensorFlowSame).WithBatchNorm(BatchNormSpec.TensorFlowPorted)
            .BuildSpec();
        Assert.That(model.Spec, Is.EqualTo(expected));
        Assert.That(model.Spec.Name, Is.EqualTo(string.Create(CultureInfo.InvariantCulture, $"mobilenet_v1_{width}_{resolution}")));
        Assert.That(model.InputQuantization, Is.EqualTo(new TfLiteInputQuantization("uint8", 0.0078125, 128)));
        Assert.That(model.WeightFormat, Is.EqualTo("uint8, per-tensor scales"));
        Assert.That(model.Transform.Resize, Is.EqualTo(ResizeMode.Stretch));
        Assert.That(model.Transform.CropSize, Is.EqualTo(resolution));
        Assert.That(model.Transform.Mean, Is.All.EqualTo(128 / 255f).Within(1e-6));
        Assert.That(model.Transform.Std, Is.All.EqualTo(128 / 255f).Within(1e-6));
    }

    [TestCaseSource(nameof(Models))]
    public void CatImage_MeetsGooglesAcceptanceThreshold(string file, double width, int resolution, int expectedClass, string label, double threshold)
    {
        using TfLiteModel model = TfLiteImport.Load(File(file));
        using var classifier = new ImageClassifier(model.Network, model.Transform);

        IReadOnlyList<Prediction> top3 = classifier.Classify(File("cat.bmp"), 3);

        foreach (Prediction p in top3)
        {
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {p.ClassIndex} {p.Label} {p.Probability:0.0000}"));
        }

        Prediction? hit = top3.FirstOrDefault(p => p.ClassIndex == expectedClass);
        Assert.That(hit, Is.Not.Null, $"class {expectedClass} is not in the top 3");
        Assert.That(hit!.Label, Is.EqualTo(label));
        Assert.That(hit.Probability, Is.GreaterThanOrEqualTo(threshold));
    }

    [TestCaseSource(nameof(Models))]
    public void SymmetricPadding_ChangesTheAnswer(string file, double width, int resolution, int expectedClass, string label, double threshold)
    {
        // The same weights with PyTorch's symmetric padding: the stride-2 layers look one pixel off, which is why TF SAME is needed.
        using TfLiteModel model = TfLiteImport.Load(File(file));
        using var symmetric = new ConvNetwork(model.Spec with { Padding = PaddingMode.Symmetric });
        symmetric.load_state_dict(model.Network.state_dict());
        symmetric.eval();
        using var scope = torch.NewDisposeScope();
        Tensor input = ImagePreprocessor.Preprocess(File("cat.bmp"), model.Transform);

        using var noGrad = torch.no_grad();
        Tensor same = nn.functional.softmax(model.Network.call(input), 1)[0];
        Tensor sym = nn.functional.softmax(symmetric.call(input), 1)[0];

        float sameP = same[expectedClass].item<float>();
        float symP = sym[expectedClass].item<float>();
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: p({label}) SAME {sameP:0.0000}, symmetric {symP:0.0000}"));
        Assert.That((same - sym).abs().max().item<float>(), Is.GreaterThan(0.01f), "symmetric padding should give visibly different probabilities");
    }

    [Test]
    public void Prepared_ImportedNetworkGivesTheSameLogits()
    {
        using TfLiteModel model = TfLiteImport.Load(File("mobilenet_v1_0.25_128_quant.tflite"));
        using InferenceNetwork prepared = model.Network.ForInference();
        using var scope = torch.NewDisposeScope();
        Tensor input = ImagePreprocessor.Preprocess(File("cat.bmp"), model.Transform);

        Tensor expected;
        using (torch.no_grad())
        {
            expected = model.Network.call(input);
        }

        Tensor actual = prepared.call(input);
        Assert.That((actual - expected).abs().max().item<float>(), Is.LessThan(1e-4f * expected.abs().max().item<float>()));
    }

    [Test]
    public void DefaultLabels_AlignWithTheFilesLabelList()
    {
        // Coral's list gives WordNet synonyms ("tiger cat", "tabby, tabby cat"); ours gives torchvision's one name.
        // Every one of ours must be among the synonyms at the same index, except where torchvision disambiguates.
        string[] coral = System.IO.File.ReadAllLines(File("imagenet_labels.txt"));
        IReadOnlyList<string> ours = ImageNetClasses.ForClassCount(1001);

        Assert.That(ours, Has.Count.EqualTo(coral.Length));
        int[] differing = [.. Enumerable.Range(0, coral.Length).Where(i => !coral[i].Split(',').Select(s => s.Trim()).Contains(ours[i]))];
        Assert.That(differing, Is.EqualTo(new[] { 135, 640 }), "torchvision's 'crane bird' and 'maillot tank suit' only");
    }
}
