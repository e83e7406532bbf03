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
            IEnumerable<Module> modules = block.Kind switch
            {
                BlockKind.MBConv => MBConv(ours, timm, lukemelas, block),
                BlockKind.MobileNetV3 => MBConv(ours, null, null, block),
                BlockKind.FusedMBConv => FusedMBConv(ours, block),
                BlockKind.InvertedResidual => InvertedResidual(ours, timm, block),
                BlockKind.DepthwiseSeparable => DepthwiseSeparable(ours),
                _ => throw new NotSupportedException($"The key map does not know block kind {block.Kind} ({ours})."),
            };
            foreach (Module module in modules)
            {
                yield return module;
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

    /// <summary>
    /// torchvision's MBConv against timm's InvertedResidual/DepthwiseSeparable and lukemelas' MBConvBlock
    /// (architecture-facts §3.3); also torchvision's MobileNetV3 block, which has the same names and no timm or
    /// lukemelas mapping here (<paramref name="timm"/> and <paramref name="lukemelas"/> null).
    /// </summary>
    private static IEnumerable<Module> MBConv(string ours, string? timm, string? lukemelas, BlockSpec block)
    {
        string? T(string name) => timm is null ? null : $"{timm}.{name}";
        string? L(string name) => lukemelas is null ? null : $"{lukemelas}.{name}";

        int index = 0;
        bool expands = block.HasExpansion;
        if (expands)
        {
            yield return Conv($"{ours}.block.0.0", T("conv_pw"), L("_expand_conv"));
            yield return Norm($"{ours}.block.0.1", T("bn1"), L("_bn0"));
            index = 1;
        }

        yield return Conv($"{ours}.block.{index}.0", T("conv_dw"), L("_depthwise_conv"));
        yield return Norm($"{ours}.block.{index}.1", T($"bn{(expands ? 2 : 1)}"), L("_bn1"));
        index++;
        if (block.SqueezeChannels > 0)
        {
            yield return new Module($"{ours}.block.{index}.fc1", T("se.conv_reduce"), L("_se_reduce"), BiasedKeys);
            yield return new Module($"{ours}.block.{index}.fc2", T("se.conv_expand"), L("_se_expand"), BiasedKeys);
            index++;
        }

        yield return Conv($"{ours}.block.{index}.0", T(expands ? "conv_pwl" : "conv_pw"), L("_project_conv"));
        yield return Norm($"{ours}.block.{index}.1", T($"bn{(expands ? 3 : 2)}"), L("_bn2"));
    }

    /// <summary>torchvision's MobileNetV2 InvertedResidual against timm's (its first block is a DepthwiseSeparable).</summary>
    private static IEnumerable<Module> InvertedResidual(string ours, string timm, BlockSpec block)
    {
        int index = 0;
        bool expands = block.HasExpansion;
        if (expands)
        {
            yield return Conv($"{ours}.conv.0.0", $"{timm}.conv_pw", null);
            yield return Norm($"{ours}.conv.0.1", $"{timm}.bn1", null);
            index = 1;
        }

        yield return Conv($"{ours}.conv.{index}.0", $"{timm}.conv_dw", null);
        yield return Norm($"{ours}.conv.{index}.1", $"{timm}.bn{(expands ? 2 : 1)}", null);
        yield return Conv($"{ours}.conv.{index + 1}", $"{timm}.{(expands ? "conv_pwl" : "conv_pw")}", null);
        yield return Norm($"{ours}.conv.{index + 2}", $"{timm}.bn{(expands ? 3 : 2)}", null);
    }

    /// <summary>torchvision's FusedMBConv (EfficientNetV2); timm and lukemelas names are not mapped.</summary>
    private static IEnumerable<Module> FusedMBConv(string ours, BlockSpec block)
    {
        yield return Conv($"{ours}.block.0.0", null, null);
        yield return Norm($"{ours}.block.0.1", null, null);
        if (block.HasExpansion)
        {
            yield return Conv($"{ours}.block.1.0", null, null);
            yield return Norm($"{ours}.block.1.1", null, null);
        }
    }

    private static IEnumerable<Module> DepthwiseSeparable(string ours)
    {
        yield return Conv($"{ours}.depthwise.0", null, null);
        yield return Norm($"{ours}.depthwise.1", null, null);
        yield return Conv($"{ours}.pointwise.0", null, null);
        yield return Norm($"{ours}.pointwise.1", null, null);
    }

    private static Module Conv(string ours, string? timm, string? lukemelas) => new(ours, timm, lukemelas, ConvolutionKeys);

    private static Module Norm(string ours, string? timm, string? lukemelas) => new(ours, timm, lukemelas, BatchNormKeys);

    private sealed record Module(string Ours, string? Timm, string? Lukemelas, IReadOnlyList<string> Suffixes);
}
