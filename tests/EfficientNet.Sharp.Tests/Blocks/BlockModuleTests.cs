using System.Reflection;
using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Blocks;

/// <summary>The one block module every kind is built as: from a spec, checked at construction, with the residual and stochastic depth the spec gives.</summary>
public class BlockModuleTests
{
    [Test]
    public void NetworkBlocks_AreBlockModulesOfTheSpecsKinds()
    {
        NetworkSpec spec = new MobileNetV3Builder().BuildSpec();
        using var network = new ConvNetwork(spec);

        BlockModule[] blocks = [.. network.modules().OfType<BlockModule>()];

        Assert.That(blocks.Select(b => b.Spec), Is.EqualTo(spec.Blocks));
        Assert.That(blocks.Select(b => b.UsesResidual), Is.EqualTo(spec.Blocks.Select(b => b.HasResidual)));
    }

    [TestCase(nameof(BlockSpec.Stride), "block.Stride")]
    [TestCase(nameof(BlockSpec.InChannels), "block.InChannels")]
    [TestCase(nameof(BlockSpec.ExpandRatio), "block.ExpandRatio")]
    [TestCase(nameof(BlockSpec.SqueezeRatio), "block.SqueezeRatio")]
    [TestCase(nameof(BlockSpec.StochasticDepthProbability), "block.StochasticDepthProbability")]
    [TestCase(nameof(BlockSpec.KernelSize), "block.KernelSize")]
    [TestCase(nameof(BlockSpec.Kind), "block.SqueezeRatio")]
    public void BadSpec_IsRefusedNamingTheField(string field, string parameter)
    {
        BlockSpec good = new EfficientNetBuilder().BuildSpec().Blocks[3];
        BlockSpec bad = field switch
        {
            nameof(BlockSpec.Stride) => good with { Stride = 3 },
            nameof(BlockSpec.InChannels) => good with { InChannels = 0 },
            nameof(BlockSpec.ExpandRatio) => good with { ExpandRatio = 0.5 },
            nameof(BlockSpec.SqueezeRatio) => good with { SqueezeRatio = 1.5 },
            nameof(BlockSpec.StochasticDepthProbability) => good with { StochasticDepthProbability = double.NaN },
            nameof(BlockSpec.KernelSize) => good with { KernelSize = 4 },
            nameof(BlockSpec.Kind) => good with { Kind = BlockKind.FusedMBConv },
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "No bad value for this field."),
        };

        Assert.That(() => new BlockModule(bad), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(parameter));
    }

    [Test]
    public void NamedBlocks_NameTheirOwnBadArgument()
    {
        Assert.That(() => new MBConv(16, 16, 3, 3), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("stride"));
        Assert.That(() => new InvertedResidual(16, 16, 4, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("kernelSize"));
        Assert.That(() => new FusedMBConv(16, 16, 3, 1, stochasticDepthProbability: 2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("stochasticDepthProbability"));
        Assert.That(() => new DepthwiseSeparableConv(0, 16, 3, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("inChannels"));
    }

    [Test]
    public void NamedBlocks_TakeChannelsKernelAndStrideFirst_AllRequired()
    {
        Type[] named = [typeof(MBConv), typeof(FusedMBConv), typeof(InvertedResidual), typeof(DepthwiseSeparableConv), typeof(MobileNetV3Block)];
        foreach (Type type in named)
        {
            ParameterInfo[] parameters = type.GetConstructors().Single().GetParameters();
            Assert.That(parameters.Take(4).Select(parameter => parameter.Name), Is.EqualTo(new[] { "inChannels", "outChannels", "kernelSize", "stride" }), type.Name);
            Assert.That(parameters.Take(4).Select(parameter => parameter.HasDefaultValue), Has.All.False, $"{type.Name}: a default would let a stride-first call from 0.2.0 compile");
            Assert.That(parameters.TakeLast(3).Select(parameter => parameter.Name), Is.EqualTo(new[] { "activation", "batchNorm", "padding" }), type.Name);
        }
    }

    [Test]
    public void MobileNetV3Block_SqueezesAsTorchvision()
    {
        // torchvision's Large: InvertedResidualConfig(40, 5, 120, 40, True, "RE", 1, 1): SE of _make_divisible(120 // 4, 8) = 32.
        using var block = new MobileNetV3Block(40, 40, 5, 1, expandedChannels: 120, squeezeExcitation: true, ActivationKind.ReLU);
        Dictionary<string, long[]> shapes = ModuleInspection.StateDictShapes(block);

        Assert.That(shapes["block.2.fc1.weight"], Is.EqualTo(new long[] { 32, 120, 1, 1 }));
        Assert.That(shapes["block.3.0.weight"], Is.EqualTo(new long[] { 40, 120, 1, 1 }));
        Assert.That(block.UsesResidual, Is.True);
        Assert.That(() => new MobileNetV3Block(40, 40, 3, 1, expandedChannels: 20, squeezeExcitation: false, ActivationKind.ReLU), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("expandedChannels"));
    }

    [Test]
    public void StochasticDepth_OfTheSpec_AppliesToEveryResidualKind()
    {
        // A MobileNetV2 block whose branch is always dropped in training: only the skip remains.
        BlockSpec spec = new MobileNetV2Builder().BuildSpec().Blocks.First(b => b.HasResidual) with { StochasticDepthProbability = 1 };
        using var block = new BlockModule(spec);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        block.train();

        Tensor input = torch.randn(2, spec.InChannels, 8, 8);

        Assert.That(block.StochasticDepthProbability, Is.EqualTo(1));
        Assert.That(block.call(input).allclose(input), Is.True);
        block.eval();
        Assert.That(block.call(input).allclose(input), Is.False);
    }

    [Test]
    public void NamedBlocks_TakeChannelsFirst_AndMobileNetV3BlockMBConvsOrder()
    {
        Type[] named = [.. typeof(BlockModule).Assembly.GetExportedTypes().Where(type => type.IsSubclassOf(typeof(BlockModule)))];
        string[] FirstParameters(Type type, int count) => [.. type.GetConstructors().Single().GetParameters().Take(count).Select(parameter => parameter.Name!)];

        Assert.That(named.Select(type => type.Name), Is.EquivalentTo(new[] { "MBConv", "FusedMBConv", "InvertedResidual", "DepthwiseSeparableConv", "MobileNetV3Block" }));
        foreach (Type type in named)
        {
            Assert.That(FirstParameters(type, 2), Is.EqualTo(new[] { "inChannels", "outChannels" }), type.Name);
        }

        Assert.That(FirstParameters(typeof(MobileNetV3Block), 4), Is.EqualTo(FirstParameters(typeof(MBConv), 4)));
    }
}
