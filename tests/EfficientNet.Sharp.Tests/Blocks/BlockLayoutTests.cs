using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Blocks;

/// <summary>Blocks used on their own: state_dict keys, shapes and the residual rule.</summary>
public class BlockLayoutTests
{
    [Test]
    public void ConvNormActivation_HasTorchvisionsKeys()
    {
        using var layer = new ConvNormActivation(8, 16, 3, 2);
        using var linear = new ConvNormActivation(8, 16, 1, activation: ActivationKind.Identity);

        Assert.That(ModuleInspection.StateDictShapes(layer).Keys, Is.EquivalentTo(new[]
        {
            "0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
        }));
        Assert.That(linear.named_children().Select(c => c.name), Is.EqualTo(new[] { "0", "1" }));
        Assert.That(layer.named_children().Select(c => c.name), Is.EqualTo(new[] { "0", "1", "2" }));
        Assert.That(ModuleInspection.EvalOutputShape(layer, 2, 8, 15, 15), Is.EqualTo(new long[] { 2, 16, 8, 8 }));
    }

    [TestCase(0, 3, 1, "inChannels")]
    [TestCase(8, 3, 3, "groups")]
    [TestCase(8, 2, 1, "kernelSize")]
    public void ConvNormActivation_RejectsBadArguments(int inChannels, int kernelSize, int groups, string parameter)
    {
        Assert.That(() => new ConvNormActivation(inChannels, 16, kernelSize, groups: groups), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(parameter));
    }

    [Test]
    public void SqueezeExcitation_RescalesChannelsBySigmoidOfTheExcitation()
    {
        using var layer = new SqueezeExcitation(6, 2);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            foreach (var parameter in layer.parameters())
            {
                parameter.zero_();
            }
        }

        // With all weights zero the excitation is sigmoid(0) = 0.5 for every channel.
        Tensor input = torch.randn(3, 6, 5, 5);
        Tensor output = layer.call(input);

        Assert.That(ModuleInspection.StateDictShapes(layer).Keys, Is.EquivalentTo(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }));
        Assert.That(output.allclose(input * 0.5), Is.True);
    }

    [Test]
    public void MBConv_ExpandingBlockHasTorchvisionsKeys()
    {
        using var block = new MBConv(24, 40, kernelSize: 5, stride: 2);
        Dictionary<string, long[]> shapes = ModuleInspection.StateDictShapes(block);

        Assert.That(shapes["block.0.0.weight"], Is.EqualTo(new long[] { 144, 24, 1, 1 }));
        Assert.That(shapes["block.1.0.weight"], Is.EqualTo(new long[] { 144, 1, 5, 5 }));
        Assert.That(shapes["block.2.fc1.weight"], Is.EqualTo(new long[] { 6, 144, 1, 1 }));
        Assert.That(shapes["block.3.0.weight"], Is.EqualTo(new long[] { 40, 144, 1, 1 }));
        Assert.That(block.UsesResidual, Is.False);
        Assert.That(ModuleInspection.EvalOutputShape(block, 2, 24, 28, 28), Is.EqualTo(new long[] { 2, 40, 14, 14 }));
    }

    [Test]
    public void MBConv_WithoutSqueezeExcitation_LeavesItOut()
    {
        using var block = new MBConv(32, 32, 3, 1, squeezeRatio: 0);

        Assert.That(ModuleInspection.StateDictShapes(block).Keys.Any(k => k.Contains("fc1", StringComparison.Ordinal)), Is.False);
        Assert.That(block.UsesResidual, Is.True);
    }

    [Test]
    public void MBConv_ResidualAddsTheInputInEval()
    {
        using var block = new MBConv(16, 16, 3, 1, stochasticDepthProbability: 0.5);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        block.eval();

        // Zeroing the projection's BatchNorm γ and β makes the branch output 0, so only the skip remains.
        var projectionNorm = block.named_modules().Single(m => m.name == "block.3.1").module;
        foreach (var parameter in projectionNorm.parameters())
        {
            parameter.zero_();
        }

        Tensor input = torch.randn(2, 16, 6, 6);
        Assert.That(block.call(input).allclose(input), Is.True);
    }

    [Test]
    public void InvertedResidual_HasTorchvisionsKeys()
    {
        using var expanding = new InvertedResidual(16, 24, 3, 2, expandRatio: 6);
        using var plain = new InvertedResidual(32, 16, 3, 1, expandRatio: 1);

        Assert.That(ModuleInspection.StateDictShapes(expanding)["conv.2.weight"], Is.EqualTo(new long[] { 24, 96, 1, 1 }));
        Assert.That(ModuleInspection.StateDictShapes(expanding)["conv.3.running_mean"], Is.EqualTo(new long[] { 24 }));
        Assert.That(ModuleInspection.StateDictShapes(plain)["conv.0.0.weight"], Is.EqualTo(new long[] { 32, 1, 3, 3 }));
        Assert.That(ModuleInspection.StateDictShapes(plain)["conv.1.weight"], Is.EqualTo(new long[] { 16, 32, 1, 1 }));
        Assert.That(new InvertedResidual(24, 24, 3, 1).UsesResidual, Is.True);
        Assert.That(expanding.UsesResidual, Is.False);
    }

    [Test]
    public void DepthwiseSeparableConv_HasDepthwiseThenPointwise()
    {
        using var block = new DepthwiseSeparableConv(32, 64, 3, 2, activation: ActivationKind.ReLU6);
        Dictionary<string, long[]> shapes = ModuleInspection.StateDictShapes(block);

        Assert.That(shapes["depthwise.0.weight"], Is.EqualTo(new long[] { 32, 1, 3, 3 }));
        Assert.That(shapes["pointwise.0.weight"], Is.EqualTo(new long[] { 64, 32, 1, 1 }));
        Assert.That(shapes, Has.Count.EqualTo(12));
        Assert.That(ModuleInspection.EvalOutputShape(block, 1, 32, 16, 16), Is.EqualTo(new long[] { 1, 64, 8, 8 }));
    }

    [Test]
    public void DepthwiseSeparableConv_ReLU6ClipsAtSix()
    {
        using var block = new DepthwiseSeparableConv(4, 4, 3, 1, activation: ActivationKind.ReLU6);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        block.eval();

        Tensor output = block.call(torch.randn(2, 4, 8, 8) * 1000);

        Assert.That(output.max().item<float>(), Is.LessThanOrEqualTo(6f));
        Assert.That(output.min().item<float>(), Is.GreaterThanOrEqualTo(0f));
    }
}
