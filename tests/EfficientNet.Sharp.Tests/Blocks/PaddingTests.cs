using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Blocks;

public class PaddingTests
{
    // architecture-facts §1.13: 224, k = 3, s = 2 → (0, 1); 56, k = 5 → (1, 2); odd sizes are symmetric again.
    [TestCase(224, 3, 2, 0, 1)]
    [TestCase(56, 5, 2, 1, 2)]
    [TestCase(225, 3, 2, 1, 1)]
    [TestCase(7, 3, 1, 1, 1)]
    public void SamePadding_MatchesTensorFlow(int size, int kernel, int stride, int before, int after)
    {
        Assert.That(SamePadding.Split(size, kernel, stride), Is.EqualTo(((long)before, (long)after)));
    }

    [TestCase(224, 112)]
    [TestCase(225, 113)]
    [TestCase(31, 16)]
    public void Same_GivesTensorFlowsOutputSize(int size, int expected)
    {
        using var layer = new ConvNormActivation(3, 4, 3, 2, padding: PaddingMode.TensorFlowSame);

        Assert.That(ModuleInspection.EvalOutputShape(layer, 1, 3, size, size + 1), Is.EqualTo(new long[] { 1, 4, expected, (size + 2) / 2 }));
    }

    [Test]
    public void Same_PadsTheExtraPixelAtTheBottomAndRight()
    {
        // A 3×3 all-ones kernel over an all-ones 8×8 image, stride 2: each output counts the real pixels it sees.
        using var same = OnesConvolution(PaddingMode.TensorFlowSame);
        using var symmetric = OnesConvolution(PaddingMode.Symmetric);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Tensor image = torch.ones(1, 1, 8, 8);

        Tensor sameOut = same.call(image).squeeze();
        Tensor symmetricOut = symmetric.call(image).squeeze();

        // SAME on an even size pads (0 before, 1 after): the top-left window is all image, the bottom-right one is not.
        Assert.That(sameOut[0, 0].item<float>(), Is.EqualTo(9).Within(1e-3));
        Assert.That(sameOut[3, 3].item<float>(), Is.EqualTo(4).Within(1e-3));
        // Symmetric pads one pixel on each side: the top-left window loses a row and a column.
        Assert.That(symmetricOut[0, 0].item<float>(), Is.EqualTo(4).Within(1e-3));
        Assert.That(symmetricOut[3, 3].item<float>(), Is.EqualTo(9).Within(1e-3));
    }

    [TestCase(224)]
    [TestCase(225)]
    public void Network_WithSamePadding_HasTheSameShapesAndParameters(int size)
    {
        using var same = new EfficientNetBuilder().WithPadding(PaddingMode.TensorFlowSame).Build();
        using var symmetric = new EfficientNetBuilder().Build();

        Assert.That(same.Spec.Padding, Is.EqualTo(PaddingMode.TensorFlowSame));
        Assert.That(ModuleInspection.EvalOutputShape(same, 1, 3, size, size), Is.EqualTo(new long[] { 1, 1000 }));
        Assert.That(same.ForwardFeatures(torch.zeros(1, 3, size, size)).shape, Is.EqualTo(symmetric.ForwardFeatures(torch.zeros(1, 3, size, size)).shape));
        Assert.That(ModuleInspection.ParameterCount(same), Is.EqualTo(ModuleInspection.ParameterCount(symmetric)));
    }

    private static ConvNormActivation OnesConvolution(PaddingMode padding)
    {
        var layer = new ConvNormActivation(1, 1, 3, 2, activation: ActivationKind.Identity, padding: padding);
        using (torch.no_grad())
        {
            layer.Convolution.weight!.fill_(1);
        }

        layer.eval();
        return layer;
    }
}
