using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using EfficientNet.Sharp.Blocks;

namespace EfficientNet.Sharp.Tests;

/// <summary>Networks whose BatchNorm layers are far from the identity, so that folding and BatchNorm handling are exercised.</summary>
internal static class RandomStatistics
{
    /// <summary>A network in eval mode with random BatchNorm statistics and affine parameters (seeded).</summary>
    public static ConvNetwork Network(NetworkSpec spec, int seed = 11)
    {
        var model = new ConvNetwork(spec);
        using var noGrad = torch.no_grad();
        var generator = new torch.Generator((ulong)seed);
        foreach (BatchNormLayer norm in model.modules().OfType<BatchNormLayer>())
        {
            norm.RunningVariance.uniform_(0.5, 2.0, generator);
            norm.RunningMean.normal_(0, 0.2, generator);
            norm.Weight.uniform_(0.7, 1.3, generator);
            norm.Bias.normal_(0, 0.1, generator);
        }

        model.eval();
        return model;
    }
}
