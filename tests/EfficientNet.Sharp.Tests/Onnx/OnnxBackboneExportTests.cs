using System.Globalization;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Scaling;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace EfficientNet.Sharp.Tests.Onnx;

/// <summary>A backbone export (<see cref="OnnxExportOptions.FeatureLevels"/>): one output per feature level, checked by ONNX Runtime.</summary>
public class OnnxBackboneExportTests
{
    [TestCase(false, 224, TestName = "BackboneExport_MatchesForwardFeatures_FixedSize")]
    [TestCase(true, 200, TestName = "BackboneExport_MatchesForwardFeatures_AnySize")]
    public void BackboneExport_MatchesForwardFeatures(bool dynamicSize, int size)
    {
        using ConvNetwork network = RandomStatistics.Network(new EfficientNetBuilder().BuildSpec());
        network.eval();
        int[] levels = [1, 3, 4];
        using var stream = new MemoryStream();
        OnnxExportReport report = network.ExportOnnx(stream, new OnnxExportOptions { FeatureLevels = levels, DynamicImageSize = dynamicSize });

        using var scope = torch.NewDisposeScope();
        Tensor input = torch.randn([2, 3, size, dynamicSize ? size + 24 : size], generator: new torch.Generator(12));

        Tensor[] expected;
        using (torch.no_grad())
        {
            expected = network.ForwardFeatures(input, levels);
        }

        using InferenceSession session = OnnxRuntimeRun.Session(stream.ToArray());
        Assert.That(session.OutputMetadata.Keys, Is.EqualTo(new[] { "feature_1", "feature_3", "feature_4" }));
        Assert.That(report.Output, Does.StartWith("feature_1 [batch, 24, "));
        var tensor = new DenseTensor<float>(input.contiguous().data<float>().ToArray(), [.. input.shape.Select(d => (int)d)]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        for (int i = 0; i < levels.Length; i++)
        {
            var output = (DenseTensor<float>)results.Single(r => r.Name == $"feature_{levels[i]}").AsTensor<float>();
            Tensor actual = torch.tensor(output.Buffer.ToArray(), [.. output.Dimensions.ToArray().Select(d => (long)d)]);
            Assert.That(actual.shape, Is.EqualTo(expected[i].shape), $"level {levels[i]}");
            float scale = expected[i].abs().max().item<float>();
            float difference = (actual - expected[i]).abs().max().item<float>();
            Assert.That(difference, Is.LessThanOrEqualTo(1e-4f * scale), string.Create(CultureInfo.InvariantCulture, $"level {levels[i]}: max |difference| {difference:g3} against max |value| {scale:g3}"));
        }

        Assert.That(session.ModelMetadata.CustomMetadataMap["output"], Is.EqualTo("features"));
        Assert.That(session.ModelMetadata.CustomMetadataMap["feature_levels"].Split('\n')[0], Is.EqualTo("feature_1 features.2 24 4"));
    }

    [Test]
    public void BackboneExport_RefusesBadLevelsAndASoftmax()
    {
        using var network = new ConvNetwork(new MobileNetV1Builder().WithWidth(0.25).WithResolution(64).BuildSpec());
        using var stream = new MemoryStream();
        Assert.Multiple(() =>
        {
            Assert.That(() => network.ExportOnnx(stream, new OnnxExportOptions { FeatureLevels = [7] }), Throws.ArgumentException.With.Property("ParamName").EqualTo("options").And.Message.Contains("levels 0 to 4"));
            Assert.That(() => network.ExportOnnx(stream, new OnnxExportOptions { FeatureLevels = [0, 0] }), Throws.ArgumentException.With.Property("ParamName").EqualTo("options"));
            Assert.That(() => network.ExportOnnx(stream, new OnnxExportOptions { FeatureLevels = [0], IncludeSoftmax = true }), Throws.ArgumentException.With.Message.Contains("softmax"));
            Assert.That(stream.Length, Is.Zero, "nothing written");
        });
    }
}
