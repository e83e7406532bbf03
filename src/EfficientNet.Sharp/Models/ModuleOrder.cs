using static TorchSharp.torch;

namespace EfficientNet.Sharp.Models;

/// <summary>Submodules in forward order.</summary>
internal static class ModuleOrder
{
    /// <summary>
    /// Every submodule, each followed by its own descendants before its next sibling, siblings in
    /// registration order — which is forward order for every block of this library. TorchSharp's
    /// <c>modules()</c> lists a module's direct children before their descendants, so an inverted
    /// residual's projection convolution would come before the convolutions inside its first layers.
    /// </summary>
    public static IEnumerable<nn.Module> DepthFirst(nn.Module module)
    {
        foreach ((string _, nn.Module child) in module.named_children())
        {
            yield return child;
            foreach (nn.Module descendant in DepthFirst(child))
            {
                yield return descendant;
            }
        }
    }
}
