using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;

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
        foreach (BatchNorm2d norm in model.modules().OfType<BatchNorm2d>())
        {
            norm.running_var!.uniform_(0.5, 2.0, generator);
            norm.running_mean!.normal_(0, 0.2, generator);
            norm.weight!.uniform_(0.7, 1.3, generator);
            norm.bias!.normal_(0, 0.1, generator);
        }

        model.eval();
        return model;
    }
}
