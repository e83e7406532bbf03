using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests;

/// <summary>Reads counts and shapes off built modules, for comparison with published numbers.</summary>
internal static class ModuleInspection
{
    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    public static Dictionary<string, long[]> StateDictShapes(nn.Module module) =>
        module.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.shape);

    /// <summary>Runs an eval-mode, no-grad forward pass and returns the output shape.</summary>
    public static long[] EvalOutputShape(nn.Module<Tensor, Tensor> module, params long[] inputShape)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        module.eval();
        return module.call(torch.randn(inputShape)).shape;
    }
}
