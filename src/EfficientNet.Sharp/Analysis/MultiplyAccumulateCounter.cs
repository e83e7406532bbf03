using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Analysis;

/// <summary>
/// Counts multiply-accumulates by running a real forward pass with hooks on every <c>Conv2d</c> and
/// <c>Linear</c> module, from the shapes they actually see. It checks <see cref="NetworkAnalyzer"/>,
/// and works on any TorchSharp module.
/// </summary>
internal static class MultiplyAccumulateCounter
{
    /// <summary>Runs one eval-mode, no-grad forward pass on random input and counts each layer's MACs.</summary>
    /// <param name="module">The module; its training mode is restored afterwards.</param>
    /// <param name="inputShape">N × C × H × W; N ≥ 1.</param>
    /// <returns>Multiply-accumulates for one image, by module path (for example <c>features.0.0</c>).</returns>
    public static IReadOnlyDictionary<string, long> Count(nn.Module<Tensor, Tensor> module, long[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length == 0 || inputShape[0] < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputShape), "The input shape must start with a batch size of at least 1.");
        }

        var counts = new Dictionary<string, long>();
        var removers = new List<Action>();
        bool wasTraining = module.training;
        try
        {
            foreach ((string name, nn.Module child) in module.named_modules())
            {
                switch (child)
                {
                    case Conv2d conv:
                        long perOutput = conv.in_channels / conv.groups * conv.kernel_size.Aggregate(1L, (a, b) => a * b);
                        removers.Add(conv.register_forward_hook((_, _, output) => Add(name, output, perOutput)).remove);
                        break;
                    case Linear linear:
                        long inFeatures = linear.in_features;
                        removers.Add(linear.register_forward_hook((_, _, output) => Add(name, output, inFeatures)).remove);
                        break;
                }
            }

            module.eval();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            module.call(torch.randn(inputShape));
        }
        finally
        {
            foreach (Action remove in removers)
            {
                remove();
            }

            module.train(wasTraining);
        }

        return counts;

        Tensor Add(string name, Tensor output, long macsPerOutputElement)
        {
            counts[name] = counts.GetValueOrDefault(name) + (output.numel() / inputShape[0] * macsPerOutputElement);

            // A hook that returns null leaves the module's output unchanged.
            return null!;
        }
    }
}
