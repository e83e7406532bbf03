using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Blocks;

/// <summary>
/// The layer definitions that the cost walk and the key map read (<see cref="BlockLayers"/>) describe the modules
/// that are actually built: every described convolution is there with the described shape and stride, and no
/// block holds a convolution the definition does not describe.
/// </summary>
public class BlockLayersTests
{
    private static IEnumerable<TestCaseData> Networks()
    {
        yield return new TestCaseData(new EfficientNetBuilder().WithPhi(-2).BuildSpec()).SetName("{m}_EfficientNet");
        yield return new TestCaseData(new MobileNetV1Builder().WithWidth(0.25).WithResolution(64).BuildSpec()).SetName("{m}_MobileNetV1");
        yield return new TestCaseData(new MobileNetV2Builder().WithWidth(0.35).WithResolution(64).BuildSpec()).SetName("{m}_MobileNetV2");
        yield return new TestCaseData(new MobileNetV3Builder().Small().WithResolution(64).BuildSpec()).SetName("{m}_MobileNetV3Small");
        yield return new TestCaseData(new EfficientNetV2Builder().WithResolution(64).BuildSpec()).SetName("{m}_EfficientNetV2S");
        foreach (NetworkSpec spec in RandomSpecs.Generate(12, seed: 1130))
        {
            yield return new TestCaseData(spec).SetName($"{{m}}_{spec.Name}");
        }
    }

    [TestCaseSource(nameof(Networks))]
    public void Definitions_DescribeTheBuiltModules(NetworkSpec spec)
    {
        using var network = new ConvNetwork(spec);
        Dictionary<string, nn.Module> modules = network.named_modules().ToDictionary(m => m.name, m => m.module);

        foreach (BlockSpec block in spec.Blocks)
        {
            string path = ModulePaths.Block(spec, block);
            var described = new List<string>();
            foreach (BlockLayer layer in BlockLayers.Of(block))
            {
                string at = $"{path}.{layer.Path}";
                switch (layer.Shape)
                {
                    case LayerShape.ConvNormActivation:
                        AssertConvolution(modules, $"{at}.0", layer.OutChannels, layer.InChannels / layer.Groups, layer.KernelSize, layer.Stride);
                        Assert.That(modules[$"{at}.1"], Is.InstanceOf<BatchNormLayer>(), $"{at}.1");
                        described.Add($"{at}.0");
                        break;
                    case LayerShape.ConvThenNorm:
                        AssertConvolution(modules, at, layer.OutChannels, layer.InChannels / layer.Groups, layer.KernelSize, layer.Stride);
                        Assert.That(modules[$"{path}.{layer.NormPath}"], Is.InstanceOf<BatchNormLayer>(), layer.NormPath);
                        described.Add(at);
                        break;
                    case LayerShape.SqueezeExcitation:
                        AssertConvolution(modules, $"{at}.fc1", layer.OutChannels, layer.InChannels, 1, 1);
                        AssertConvolution(modules, $"{at}.fc2", layer.InChannels, layer.OutChannels, 1, 1);
                        described.AddRange([$"{at}.fc1", $"{at}.fc2"]);
                        break;
                    default:
                        Assert.Fail($"layer shape {layer.Shape} is not checked here");
                        break;
                }
            }

            string[] built = [.. modules.Where(m => m.Key.StartsWith(path + ".", StringComparison.Ordinal) && m.Value is Conv2d).Select(m => m.Key)];
            Assert.That(built, Is.EquivalentTo(described), $"block {block.Index} ({block.Kind})");
        }
    }

    [Test]
    public void EveryBlockKind_HasADefinition()
    {
        foreach (BlockKind kind in Enum.GetValues<BlockKind>())
        {
            var block = new BlockSpec(kind, 0, 0, 0, 8, 8, 3, 1, 1, 0, ActivationKind.ReLU, 0);
            Assert.That(BlockLayers.Of(block), Is.Not.Empty, kind.ToString());
        }
    }

    private static void AssertConvolution(Dictionary<string, nn.Module> modules, string path, int outChannels, int inPerGroup, int kernel, int stride)
    {
        Assert.That(modules.TryGetValue(path, out nn.Module? module), Is.True, $"{path} is not in the network");
        var conv = (Conv2d)module!;
        Assert.That(conv.weight!.shape, Is.EqualTo(new long[] { outChannels, inPerGroup, kernel, kernel }), path);
        Assert.That(conv.stride![0], Is.EqualTo(stride), path);
    }
}
