using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests;

/// <summary>
/// Networks whose BatchNorm layers are far from the identity, so that folding and BatchNorm handling are
/// exercised, and whose output depends on the input, as a trained network's does.
/// </summary>
/// <remarks>
/// With freshly initialised weights and made-up running statistics, a deep network's activations shrink
/// layer by layer until its logits are the same for every input (measured: B0's changed by 6e-8 between
/// two random images, while its largest logit was 0.35); a comparison of outputs then tests the classifier
/// and the biases but hardly the convolutions. So the running statistics are first calibrated, one layer at
/// a time in forward order, to what each BatchNorm actually receives, as training leaves them. They are far
/// from the identity (means and variances of real feature maps), so folding is still exercised.
/// </remarks>
internal static class RandomStatistics
{
    /// <summary>A network in eval mode with random weights, random BatchNorm affine parameters and running statistics calibrated to them, all drawn from the seed.</summary>
    public static ConvNetwork Network(NetworkSpec spec, int seed = 11)
    {
        var model = new ConvNetwork(spec);
        var generator = new torch.Generator((ulong)seed);
        model.eval();
        using (torch.no_grad())
        {
            // The constructor's initialisation draws from libtorch's global generator, which the fixtures running
            // before (in parallel) have advanced by an unknown amount: the same distributions are drawn again from
            // the seed, so a test sees the same network in every run.
            foreach (Conv2d conv in model.modules().OfType<Conv2d>())
            {
                long fanOut = conv.weight!.shape[0] * conv.weight.shape[2] * conv.weight.shape[3];
                conv.weight.normal_(0, Math.Sqrt(2.0 / fanOut), generator);
            }

            foreach (Linear linear in model.modules().OfType<Linear>())
            {
                double range = 1.0 / Math.Sqrt(linear.weight!.shape[0]);
                linear.weight.uniform_(-range, range, generator);
            }

            foreach (BatchNormLayer norm in model.modules().OfType<BatchNormLayer>())
            {
                norm.Weight.uniform_(0.7, 1.3, generator);
                norm.Bias.normal_(0, 0.1, generator);
            }

            // A residual branch ends small against its skip, as in trained networks (and zero-γ initialisation):
            // otherwise 55 blocks (B7) add up until float rounding, not the export, decides the comparison.
            foreach (BatchNormLayer norm in ResidualBranchEnds(model))
            {
                norm.Weight.uniform_(0.1, 0.3, generator);
            }
        }

        // After the affine parameters, so that each layer's statistics fit what the layers before it now produce.
        Calibrate(model, spec, generator);
        return model;
    }

    /// <summary>The BatchNorm at the end of every residual branch.</summary>
    private static IEnumerable<BatchNormLayer> ResidualBranchEnds(ConvNetwork model)
    {
        foreach (nn.Module module in model.modules())
        {
            if (module is BlockModule { UsesResidual: true } block)
            {
                yield return block.modules().OfType<BatchNormLayer>().Last();
            }
        }
    }

    /// <summary>Sets every BatchNorm's running statistics to the mean and variance of its input on a random batch, in forward order.</summary>
    private static void Calibrate(ConvNetwork model, NetworkSpec spec, torch.Generator generator)
    {
        var removers = new List<Action>();
        foreach (BatchNormLayer norm in model.modules().OfType<BatchNormLayer>())
        {
            removers.Add(norm.register_forward_pre_hook((_, input) =>
            {
                using var noGrad = torch.no_grad();
                norm.RunningMean.copy_(input.mean([0L, 2L, 3L]));
                norm.RunningVariance.copy_(input.var([0L, 2L, 3L], unbiased: false).clamp_min(1e-2));
                return null!;
            }).remove);
        }

        try
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            model.call(torch.randn([8, spec.InputChannels, spec.Resolution, spec.Resolution], generator: generator));
        }
        finally
        {
            foreach (Action remove in removers)
            {
                remove();
            }
        }
    }
}
