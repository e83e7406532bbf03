using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using TorchSharp;

namespace EfficientNet.Sharp.Benchmarks;

/// <summary>The first block of one stage of a network, at the feature-map size it sees for a 224-pixel input.</summary>
public sealed class BlockCase
{
    private BlockCase(string network, NetworkSpec spec, int stage)
    {
        Network = network;
        Spec = spec;
        Stage = stage;
        Block = spec.Blocks.First(b => b.StageIndex == stage - 1);
        InputSize = spec.Resolution / spec.Stem.Stride / spec.Stages.Take(stage - 1).Aggregate(1, (product, s) => product * s.Stride);

        // Per-image multiply-accumulates of this block, from the analysis of the whole network.
        string prefix = spec.Layout == FeatureLayout.FlatBlocks ? $"features.{Block.Index + 1}." : $"features.{stage}.0.";
        MultiplyAccumulates = NetworkAnalyzer.Analyze(spec).Layers.Where(l => l.Path.StartsWith(prefix, StringComparison.Ordinal)).Sum(l => l.MultiplyAccumulates);
    }

    public string Network { get; }

    public NetworkSpec Spec { get; }

    public int Stage { get; }

    public BlockSpec Block { get; }

    public int InputSize { get; }

    public long MultiplyAccumulates { get; }

    /// <summary>Every stage of MobileNetV1, MobileNetV2 and EfficientNet-B0, and B0's MBConv without squeeze-and-excitation.</summary>
    public static IEnumerable<BlockCase> All()
    {
        NetworkSpec v1 = new MobileNetV1Builder().WithActivation(ActivationKind.ReLU6).BuildSpec();
        NetworkSpec v2 = new MobileNetV2Builder().BuildSpec();
        NetworkSpec b0 = new EfficientNetBuilder().BuildSpec();
        NetworkSpec b0WithoutSe = b0 with { Stages = [.. b0.Stages.Select(s => s with { SqueezeRatio = 0 })] };
        foreach ((string name, NetworkSpec spec) in new[] { ("V1", v1), ("V2", v2), ("B0", b0), ("B0-noSE", b0WithoutSe) })
        {
            for (int stage = 1; stage <= spec.Stages.Count; stage++)
            {
                yield return new BlockCase(name, spec, stage);
            }
        }
    }

    public torch.nn.Module<torch.Tensor, torch.Tensor> CreateModule() => new BlockModule(Block, Spec.BatchNorm, Spec.Padding);

    /// <summary>Shown in BenchmarkDotNet's tables: network, stage, block kind and input.</summary>
    public override string ToString() =>
        $"{Network} s{Stage} {Block.Kind} {Block.InChannels}→{Block.OutChannels} @{InputSize}";
}
