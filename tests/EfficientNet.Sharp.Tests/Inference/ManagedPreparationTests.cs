using EfficientNet.Sharp.Benchmarks;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.TfLite;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Inference;

/// <summary>
/// The managed preparation (the deploy package's, and now everyone's) against the libtorch path it replaced, on every
/// photo of the test data: within 1/255 per pixel on average, and the same top-1 from Google's trained Coral models.
/// </summary>
public class ManagedPreparationTests
{
    private static readonly string[] Photos =
    [
        TestData.File("coral-test-data", "cat.bmp"),
        TestData.File("coral-test-data", "grace_hopper.bmp"),
        TestData.File("efficientnet-pytorch", "img.jpg"),
    ];

    private static IEnumerable<TestCaseData> Transforms()
    {
        yield return new TestCaseData(EvalTransform.ImageNet(256, 224, Interpolation.Bilinear)).SetName("ImageNet_Bilinear_256_224");
        yield return new TestCaseData(EvalTransform.ImageNet(384, 384, Interpolation.Bicubic)).SetName("ImageNet_Bicubic_384_384");
        yield return new TestCaseData(EvalTransform.ImageNet(160, 128, Interpolation.Bicubic)).SetName("ImageNet_Bicubic_160_128");
        yield return new TestCaseData(EvalTransform.ImageNet(800, 700, Interpolation.Bilinear)).SetName("ImageNet_Upscaled_800_700");
        yield return new TestCaseData(EvalTransform.ImageNet(200, 256, Interpolation.Bilinear)).SetName("ImageNet_CropLargerThanImage_Padded");
        yield return new TestCaseData(EvalTransform.TensorFlowLite(128, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f])).SetName("TfLite_Stretch_128");
        yield return new TestCaseData(EvalTransform.TensorFlowLite(224, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f])).SetName("TfLite_Stretch_224");
    }

    [TestCaseSource(nameof(Transforms))]
    public void EveryPhoto_IsWithinOneLevelOfTheLibTorchPath_OnAverage(EvalTransform transform)
    {
        foreach (string photo in Photos)
        {
            using var scope = torch.NewDisposeScope();
            Tensor image = ImagePreprocessor.LoadImage(photo);
            Tensor reference = TorchSharpResampling.Apply(image, transform);
            Tensor managed = torch.tensor(ImagePreparation.Prepare(photo, transform), reference.shape);

            // Back to [0, 1] pixel units: the normalisation only scales the difference.
            Tensor std = torch.tensor(transform.Std.ToArray()).reshape(1, 3, 1, 1);
            Tensor difference = ((managed - reference) * std).abs();
            double mean = difference.mean().item<float>(), max = difference.max().item<float>();
            TestContext.Out.WriteLine($"{Path.GetFileName(photo)} {transform}: mean |Δ| {mean * 255:0.000}/255, max {max * 255:0.00}/255");
            Assert.That(mean, Is.LessThanOrEqualTo(1.0 / 255), $"{photo}: mean difference {mean * 255:0.000}/255");
        }
    }

    [TestCase("mobilenet_v1_0.25_128_quant.tflite")]
    [TestCase("mobilenet_v1_0.5_160_quant.tflite")]
    public void CoralModels_GiveTheSameTopClass_OnEveryPhoto(string model)
    {
        using TfLiteModel imported = TfLiteImport.Load(TestData.File("coral-test-data", model));
        imported.Network.eval();
        foreach (string photo in Photos)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            Tensor reference = TorchSharpResampling.Apply(ImagePreprocessor.LoadImage(photo), imported.Transform);
            Tensor managed = torch.tensor(ImagePreparation.Prepare(photo, imported.Transform), reference.shape);

            long expected = imported.Network.call(reference).argmax(1).item<long>();
            long actual = imported.Network.call(managed).argmax(1).item<long>();

            Assert.That(actual, Is.EqualTo(expected), $"{model} on {Path.GetFileName(photo)}");
        }
    }
}
