using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.TfLite;

/// <summary>
/// Our networks as TensorFlow trains them (TF "SAME" padding, TensorFlow's BatchNorm settings) — the specs an
/// import of a TFLite file must give back — and the output comparison the import tests share.
/// </summary>
internal static class TensorFlowSpecs
{
    public static NetworkSpec MobileNetV1(double width, int resolution, int classes = 10, ActivationKind activation = ActivationKind.ReLU6) =>
        TensorFlowStyle(new MobileNetV1Builder().WithWidth(width).WithResolution(resolution).WithActivation(activation).WithNumClasses(classes));

    public static NetworkSpec MobileNetV2(double width, int resolution) =>
        TensorFlowStyle(new MobileNetV2Builder().WithWidth(width).WithResolution(resolution).WithNumClasses(10));

    public static NetworkSpec MobileNetV3(bool small, double width, int resolution, int classes) =>
        TensorFlowStyle((small ? new MobileNetV3Builder().Small() : new MobileNetV3Builder()).WithWidth(width).WithResolution(resolution).WithNumClasses(classes));

    public static NetworkSpec EfficientNet(int phi, int resolution) =>
        TensorFlowStyle(new EfficientNetBuilder().WithPhi(phi).WithResolution(resolution).WithNumClasses(10));

    /// <summary>EfficientNet-Lite at another input size, as Lite models are often exported (the preset itself has no builder).</summary>
    public static NetworkSpec Lite(int variant, int resolution, int classes)
    {
        NetworkSpec preset = NetworkPresets.EfficientNetLite(variant);
        return preset with { Resolution = resolution, Classifier = preset.Classifier with { NumClasses = classes }, Padding = PaddingMode.TensorFlowSame };
    }

    /// <summary>The imported network gives the original's outputs on a random batch, within 1e-4 of the largest (at least 1).</summary>
    public static void AssertSameOutputs(ConvNetwork original, ConvNetwork imported, int resolution)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        original.eval();
        Tensor input = torch.randn([2, 3, resolution, resolution], generator: new torch.Generator(3));
        Tensor expected = original.call(input);
        Tensor actual = imported.call(input);
        Assert.That(actual.shape, Is.EqualTo(expected.shape));
        float tolerance = 1e-4f * Math.Max(1f, expected.abs().max().item<float>());
        Assert.That((actual - expected).abs().max().item<float>(), Is.LessThan(tolerance));
    }

    private static NetworkSpec TensorFlowStyle<TBuilder>(NetworkBuilder<TBuilder> builder)
        where TBuilder : NetworkBuilder<TBuilder> =>
        builder.WithPadding(PaddingMode.TensorFlowSame).WithBatchNorm(BatchNormSpec.TensorFlowPorted).BuildSpec();
}
