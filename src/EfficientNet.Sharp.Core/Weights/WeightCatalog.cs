namespace EfficientNet.Sharp.Weights;

/// <summary>Every checkpoint this library knows, for listing and lookup by name.</summary>
public static class WeightCatalog
{
    /// <summary>
    /// The weights of <see cref="Models.ModelRegistry"/>'s entries, in the registry's order (each model's default
    /// first): torchvision's MobileNetV2, MobileNetV3, EfficientNet (with lukemelas' port of each) and EfficientNetV2
    /// checkpoints. The registry is the one list; this one is read from it.
    /// </summary>
    public static IReadOnlyList<PretrainedWeights> All { get; } = [.. Models.ModelRegistry.All.SelectMany(model => model.Weights)];

    /// <summary>Finds a checkpoint by its <see cref="PretrainedWeights.Name"/> (case-insensitive) or file name.</summary>
    /// <param name="name">For example <c>EfficientNet_B0.ImageNet1K_V1</c> or <c>efficientnet_b0_rwightman-7f5810bc.pth</c>.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="KeyNotFoundException">No such checkpoint; the message lists the known names.</exception>
    public static PretrainedWeights Find(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(w.FileName, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"Unknown weights '{name}'. Known: {string.Join(", ", All.Select(w => w.Name))}.");
    }
}
