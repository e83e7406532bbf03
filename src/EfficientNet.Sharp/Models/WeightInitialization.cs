using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Models;

/// <summary>torchvision's weight initialisation for MobileNetV2 and EfficientNet.</summary>
internal static class WeightInitialization
{
    /// <summary>
    /// Initialises every layer of <paramref name="module"/> the way torchvision's model constructors
    /// do: convolutions Kaiming-normal with fan-out (He et al.: keeps the backward signal's variance
    /// through ReLU-family activations) and zero bias; BatchNorm γ = 1, β = 0; linear layers as
    /// <paramref name="classifier"/> says, with zero bias.
    /// </summary>
    /// <param name="module">The module whose parameters are overwritten in place.</param>
    /// <param name="classifier">The rule for linear layers.</param>
    public static void Apply(nn.Module module, ClassifierInitialization classifier)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var noGrad = torch.no_grad();
        foreach ((string _, nn.Module child) in module.named_modules())
        {
            switch (child)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut);
                    if (conv.bias is not null)
                    {
                        nn.init.zeros_(conv.bias);
                    }

                    break;
                case BatchNormLayer norm:
                    nn.init.ones_(norm.Weight);
                    nn.init.zeros_(norm.Bias);
                    break;
                case Linear linear:
                    if (classifier == ClassifierInitialization.Normal)
                    {
                        nn.init.normal_(linear.weight, 0, 0.01);
                    }
                    else
                    {
                        double range = 1.0 / Math.Sqrt(linear.out_features);
                        nn.init.uniform_(linear.weight, -range, range);
                    }

                    if (linear.bias is not null)
                    {
                        nn.init.zeros_(linear.bias);
                    }

                    break;
            }
        }
    }
}
