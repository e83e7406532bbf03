using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Weights;

/// <summary>
/// Translates tensor names between this library (torchvision's names) and timm's or lukemelas'
/// layouts. The table is derived from the spec — block by block, whether it expands, whether it has
/// squeeze-and-excitation — so it fits every variant without being written down per variant.
/// </summary>
public static class KeyMapping
{
    private static readonly string[] ConvolutionKeys = ["weight"];
    private static readonly string[] BiasedKeys = ["weight", "bias"];
    private static readonly string[] BatchNormKeys = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"];

    /// <summary>Every state-dict key of the network, mapped from this library's name to the layout's name.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="layout">The other layout (<see cref="KeyLayout.Torchvision"/> maps every name to itself).</param>
    /// <returns>Our key → the layout's key.</returns>
    /// <exception cref="NotSupportedException">The layout has no names for this family (lukemelas has only EfficientNet; timm's MobileNetV1 is not mapped).</exception>
    public static IReadOnlyDictionary<string, string> ToLayout(NetworkSpec spec, KeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var map = new Dictionary<string, string>();
        foreach (Module module in Modules(spec))
        {
            string? theirs = layout switch
            {
                KeyLayout.Torchvision or KeyLayout.Auto => module.Ours,
                KeyLayout.Timm => module.Timm,
                KeyLayout.Lukemelas => module.Lukemelas,
                _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown key layout."),
            };
            if (theirs is null)
            {
                throw new NotSupportedException($"The {layout} layout has no names for {spec.Family} networks.");
            }

            foreach (string suffix in module.Suffixes)
            {
                map[$"{module.Ours}.{suffix}"] = $"{theirs}.{suffix}";
            }
        }

        return map;
    }

    /// <summary>Guesses a checkpoint's layout from its keys.</summary>
    /// <param name="keys">The checkpoint's tensor names.</param>
    /// <returns>Timm, Lukemelas or Torchvision.</returns>
    public static KeyLayout Detect(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var set = keys.ToHashSet();
        return set.Contains("conv_stem.weight") ? KeyLayout.Timm
            : set.Contains("_conv_stem.weight") ? KeyLayout.Lukemelas
            : KeyLayout.Torchvision;
    }

    /// <summary>Each weighted module: our path, timm's, lukemelas', and which tensors it holds.</summary>
    private static IEnumerable<Module> Modules(NetworkSpec spec)
    {
        yield return Conv($"{ModulePaths.Stem}.0", "conv_stem", "_conv_stem");
        yield return Norm($"{ModulePaths.Stem}.1", "bn1", "_bn0");
        foreach (BlockSpec block in spec.Blocks)
        {
            string ours = ModulePaths.Block(spec, block);
            string timm = $"blocks.{block.StageIndex}.{block.IndexInStage}";
            string lukemelas = $"_blocks.{block.Index}";
            foreach (BlockLayer layer in BlockLayers.Of(block))
            {
                foreach (Module module in Layer(ours, layer, timm, lukemelas))
                {
                    yield return module;
                }
            }
        }

        if (spec.Head is not null)
        {
            string head = ModulePaths.Head(spec);
            yield return Conv($"{head}.0", "conv_head", "_conv_head");
            yield return Norm($"{head}.1", "bn2", "_bn1");
        }

        if (spec.Classifier.IsHeadless)
        {
            yield break;
        }

        if (spec.Classifier.HiddenChannels is null)
        {
            yield return new Module(ModulePaths.ClassifierOutput(spec), "classifier", "_fc", BiasedKeys);
        }
        else
        {
            yield return new Module(ModulePaths.ClassifierHidden, null, null, BiasedKeys);
            yield return new Module(ModulePaths.ClassifierOutput(spec), null, null, BiasedKeys);
        }
    }

    /// <summary>A block layer's weighted modules under our path and, where the layer has names there, timm's and lukemelas'.</summary>
    private static IEnumerable<Module> Layer(string block, BlockLayer layer, string timm, string lukemelas)
    {
        static string? Under(string prefix, string? name) => name is null ? null : $"{prefix}.{name}";
        string ours = $"{block}.{layer.Path}";
        (string? timmFirst, string? timmSecond) = (Under(timm, layer.Timm.First), Under(timm, layer.Timm.Second));
        (string? lukeFirst, string? lukeSecond) = (Under(lukemelas, layer.Lukemelas.First), Under(lukemelas, layer.Lukemelas.Second));
        return layer.Shape switch
        {
            LayerShape.ConvNormActivation => [Conv($"{ours}.0", timmFirst, lukeFirst), Norm($"{ours}.1", timmSecond, lukeSecond)],
            LayerShape.ConvThenNorm => [Conv(ours, timmFirst, lukeFirst), Norm($"{block}.{layer.NormPath}", timmSecond, lukeSecond)],
            LayerShape.SqueezeExcitation => [new Module($"{ours}.fc1", timmFirst, lukeFirst, BiasedKeys), new Module($"{ours}.fc2", timmSecond, lukeSecond, BiasedKeys)],
            _ => throw new NotSupportedException($"The key map does not know layer shape {layer.Shape} ({ours})."),
        };
    }

    private static Module Conv(string ours, string? timm, string? lukemelas) => new(ours, timm, lukemelas, ConvolutionKeys);

    private static Module Norm(string ours, string? timm, string? lukemelas) => new(ours, timm, lukemelas, BatchNormKeys);

    private sealed record Module(string Ours, string? Timm, string? Lukemelas, IReadOnlyList<string> Suffixes);
}
